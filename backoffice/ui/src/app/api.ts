/**
 * The one client of the back-office API: JSON over fetch with the session's bearer token; every non-2xx
 * answer (problem+json, RFC 9457) becomes an `ApiError` carrying its status, code and field errors, which the
 * form helper maps onto the form's fields and the query cache shows as an error state.
 */
import type { ProblemDetails } from '@tpv/shared/problem';

const KEY = 'tpv.bo.token';

/** The session token (localStorage, so a reload or a link opened in a new tab stays signed in). */
export const session = {
  get: () => localStorage.getItem(KEY),
  set: (t: string | null) => (t ? localStorage.setItem(KEY, t) : localStorage.removeItem(KEY)),
};

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly code: string;
  readonly fieldErrors: readonly FieldError[];
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Partial<ProblemDetails> | null = null,
  ) {
    super(message);
    this.code = problem?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.fieldErrors = (problem?.errors ?? []).map((e) => ({ path: e.path, message: e.message }));
  }
  get unauthorized() {
    return this.status === 401;
  }
  get forbidden() {
    return this.status === 403;
  }
}

let sessionExpired = false;
/** Whether the last sign-out was the server ending the session (read once by the sign-in form). */
export function takeSessionExpired(): boolean {
  const was = sessionExpired;
  sessionExpired = false;
  return was;
}

/** Listeners told when the server says the session is gone (401), so the shell can show the sign-in form. */
const signedOut = new Set<() => void>();
export function onSignedOut(fn: () => void): () => void {
  signedOut.add(fn);
  return () => signedOut.delete(fn);
}

function headers(json: boolean, accept = 'application/json'): Record<string, string> {
  const token = session.get();
  return { accept, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) };
}

async function fail(res: Response): Promise<never> {
  const text = await res.text().catch(() => '');
  let problem: Partial<ProblemDetails> | null = null;
  try {
    problem = text ? (JSON.parse(text) as Partial<ProblemDetails>) : null;
  } catch {
    problem = null;
  }
  if (res.status === 401 && session.get()) {
    session.set(null);
    sessionExpired = true;
    for (const fn of signedOut) fn();
  }
  throw new ApiError(res.status, problem?.detail ?? problem?.title ?? (res.statusText || `HTTP ${res.status}`), problem);
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, e instanceof Error ? e.message : String(e));
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await send(method, path, body);
  if (!res.ok) return fail(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

export const get = <T,>(path: string) => api<T>('GET', path);

/** `/api/x` + `{a: 1, b: undefined}` → `/api/x?a=1` (empty and undefined values left out). */
export function withQuery(path: string, query: Record<string, string | number | boolean | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

/** Downloads a file the API makes (CSV/XLSX export, PDF) with the bearer token, under the server's file name. */
export async function download(path: string, fallbackName: string): Promise<void> {
  const res = await fetch(path, { headers: headers(false, '*/*') });
  if (!res.ok) return fail(res);
  const blob = await res.blob();
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
