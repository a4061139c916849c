import { vi } from 'vitest';

import { makeStore } from '../app/store';
import { tokensRefreshed } from '../features/auth/authSlice';

export type Sent = { url: string; method: string; body: unknown; authorization: string | null };

/** What a path answers, given the request's JSON body and its URL (for the query): a status and a
 * JSON body, or a promise of them (a server that takes its time). */
export type Route = (body: unknown, url: URL) => [number, unknown] | Promise<[number, unknown]>;

const NativeRequest = globalThis.Request;

/** Node's Request wants absolute URLs and its own AbortSignal; the app runs in a page (jsdom). */
class PageRequest extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, window.location.origin) : input, { ...init, signal: undefined });
  }
}

/**
 * Stands in for the API in a component test: each request is recorded and answered by the route of
 * its path (a 404 problem for any other path). `vi.unstubAllGlobals()` puts fetch back.
 */
export function fakeServer(routes: Record<string, Route>): Sent[] {
  const sent: Sent[] = [];
  vi.stubGlobal('Request', PageRequest);
  vi.stubGlobal('fetch', async (input: Request) => {
    const text = input.method === 'GET' ? '' : await input.text();
    // JSON bodies parsed; any other (an uploaded file) kept as its text.
    const body = !text ? null : (input.headers.get('Content-Type') ?? '').includes('json') ? JSON.parse(text) : text;
    const url = new URL(input.url);
    const path = url.pathname;
    sent.push({ url: path, method: input.method, body, authorization: input.headers.get('Authorization') });
    const route = routes[path];
    const [status, data] = route ? await route(body, url) : [404, { type: '/problems/not-found', title: 'Not Found', status: 404, detail: 'nothing here' }];
    return new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
  });
  return sent;
}

/** A store signed in with made-up tokens (the fake server accepts any). */
export function signedInStore() {
  const store = makeStore();
  store.dispatch(tokensRefreshed({ access_token: 'access-secret', refresh_token: 'refresh-secret', expires_in: 900 }));
  return store;
}
