import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';

export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  figures?: Record<string, unknown>;
  /** The lesson that explains it (`/api/v1/lessons/<slug>`), or a glossary entry. */
  lesson?: string | null;
  glossary?: string | null;
  errors?: { loc?: (string | number)[]; msg?: string }[];
};

/** What the server said (problem+json), or what went wrong on the way there. */
export function readProblem(error: FetchBaseQueryError | SerializedError | undefined): Problem | null {
  if (!error) return null;
  if ('status' in error) {
    if (error.status === 'FETCH_ERROR') return { title: 'offline', detail: undefined };
    const data = error.data as Problem | undefined;
    if (data && typeof data === 'object' && (data.detail || data.title)) return data;
    return { status: typeof error.status === 'number' ? error.status : undefined };
  }
  return { detail: error.message };
}

/** The problem's code: the last part of its type (`/problems/breaker-closed` → `breaker-closed`). */
export function problemCode(problem: Problem | null): string | null {
  return problem?.type?.split('/').pop() || null;
}

/** The page the server serves for a problem type (`/problems/<code>`), if it is one of ours. */
export function problemPage(type: string | undefined): string | null {
  if (!type) return null;
  try {
    const url = new URL(type, window.location.origin);
    return url.pathname.startsWith('/problems/') ? url.pathname : null;
  } catch {
    return null;
  }
}
