/** Authenticated JSON calls to the back office; the session token lives in localStorage. */
const KEY = 'tpv.bo.token';

export const session = {
  get: () => localStorage.getItem(KEY),
  set: (t: string | null) => (t ? localStorage.setItem(KEY, t) : localStorage.removeItem(KEY)),
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = session.get();
  const res = await fetch(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : null;
  if (!res.ok) {
    if (res.status === 401) session.set(null);
    throw new ApiError(res.status, (data as { detail?: string; title?: string } | null)?.detail ?? res.statusText);
  }
  return data as T;
}
