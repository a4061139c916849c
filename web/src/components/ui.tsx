import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { FetchBaseQueryError } from '@reduxjs/toolkit/query';
import type { SerializedError } from '@reduxjs/toolkit';
import { glossaryRoute, lessonRoute } from '../features/learn/links';
import { problemPage, readProblem } from './problems';

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby="page-title" className="mx-auto w-full max-w-6xl px-4 py-6">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="page-title" className="text-2xl font-semibold tracking-tight">
          {title}
        </h1>
        {actions}
      </div>
      <div className="space-y-6">{children}</div>
    </section>
  );
}

export function Card({ title, children, className = '' }: { title?: string; children: ReactNode; className?: string }) {
  const headingId = useId();
  return (
    // Named by its heading: a landmark that screen readers (and tests) find by its title.
    <section aria-labelledby={title ? headingId : undefined} className={`rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900 ${className}`}>
      {title && <h2 id={headingId} className="mb-3 text-lg font-semibold">{title}</h2>}
      {children}
    </section>
  );
}

export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 p-6 text-center dark:border-slate-600">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mx-auto mt-1 max-w-prose text-slate-700 dark:text-slate-300">{children}</p>
      {action && <div className="mt-4 flex justify-center">{action}</div>}
    </div>
  );
}

/** The room a chart will take while its code or data loads, so nothing below it jumps. */
export function ChartSpace({ height }: { height: number }) {
  return (
    <div style={{ minHeight: height }}>
      <Loading />
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" className="text-slate-600 dark:text-slate-300">
      {t('common.loading')}
    </p>
  );
}

/** A problem+json answer in plain words, with the link to the page that explains it. */
export function ProblemAlert({ error }: { error: FetchBaseQueryError | SerializedError | undefined }) {
  const { t } = useTranslation();
  const problem = readProblem(error);
  if (!problem) return null;
  const page = problemPage(problem.type);
  const lesson = lessonRoute(problem.lesson) ?? glossaryRoute(problem.glossary);
  const detail =
    problem.title === 'offline'
      ? t('common.offline')
      : (problem.detail ?? problem.errors?.map((each) => each.msg).join(' ') ?? t('common.failed'));
  return (
    <div role="alert" className="rounded-lg border border-rose-300 bg-rose-50 p-3 text-rose-900 dark:border-rose-700 dark:bg-rose-950 dark:text-rose-100">
      <p>{detail}</p>
      <p className="mt-1 flex flex-wrap gap-4">
        {lesson && (
          <Link className="font-medium underline" to={lesson}>
            {t('common.learnWhy')}
          </Link>
        )}
        {page && (
          <a className="font-medium underline" href={page} target="_blank" rel="noreferrer">
            {t('common.whatThisMeans')}
          </a>
        )}
      </p>
    </div>
  );
}

const REGIME_STYLE: Record<string, string> = {
  LOW: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100',
  NORMAL: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  HIGH: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  EXTREME: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100',
};

export function RegimeBadge({ regime }: { regime: string | undefined }) {
  const { t } = useTranslation();
  if (!regime) return <span>—</span>;
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${REGIME_STYLE[regime] ?? ''}`}>
      {t(`regime.${regime}`, regime)}
    </span>
  );
}

const LEVEL_STYLE: Record<string, string> = {
  OPEN: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  CAUTIOUS: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  RESTRICTED: 'bg-orange-100 text-orange-900 dark:bg-orange-900 dark:text-orange-100',
  CLOSED: 'bg-rose-100 text-rose-900 dark:bg-rose-900 dark:text-rose-100',
};

export function LevelBadge({ level }: { level: string | undefined }) {
  const { t } = useTranslation();
  if (!level) return <span>—</span>;
  return (
    <span className={`inline-block rounded-full px-2 py-0.5 text-xs font-semibold ${LEVEL_STYLE[level] ?? ''}`}>
      {t(`level.${level}`, level)}
    </span>
  );
}

export const inputClass =
  'w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 focus:outline-none focus:ring-2 focus:ring-teal-600 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100';
export const buttonClass =
  'inline-flex items-center justify-center rounded-lg bg-teal-700 px-4 py-2 font-medium text-white hover:bg-teal-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-offset-2 focus-visible:ring-teal-600 disabled:cursor-not-allowed disabled:opacity-60';
export const secondaryButtonClass =
  'inline-flex items-center justify-center rounded-lg border border-slate-300 px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-teal-600 disabled:opacity-60 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800';
export const linkClass = 'font-medium text-teal-800 underline hover:text-teal-900 dark:text-teal-300';

export function Field({ label, htmlFor, hint, children }: { label: string; htmlFor: string; hint?: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${htmlFor}-hint`} className="text-sm text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      )}
    </div>
  );
}

export function TextLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to} className={linkClass}>
      {children}
    </Link>
  );
}

/** `fit`: no minimum width (a table already cut down to what fits a phone). */
export function Table({ caption, children, fit = false }: { caption: string; children: ReactNode; fit?: boolean }) {
  return (
    // `relative`: the screen-reader-only labels (absolutely placed) stay inside the scroll box.
    // Focusable and named: on a phone a wide table scrolls sideways, by keyboard too (WCAG 2.1.1).
    <div className="relative overflow-x-auto" tabIndex={0} role="region" aria-label={caption}>
      <table className={`w-full ${fit ? '' : 'min-w-[32rem]'} text-left text-sm`}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export const th = 'border-b border-slate-200 px-2 py-2 font-semibold dark:border-slate-700';
export const td = 'border-b border-slate-100 px-2 py-2 dark:border-slate-800';
