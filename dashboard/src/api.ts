// The dashboard talks to the server only through the typed client (clients/typescript): the bearer
// on every call, one shared refresh on a 401. Tokens stay in localStorage under one key so a reload
// keeps the session; a refused refresh clears them and the app shows the sign-in screen.
import {
  type ApiError,
  type BibarysClient,
  createBibarysClient,
  type Schemas,
  type Tokens,
} from '../../clients/typescript/src/client';
import { type MessageKey, t, tMaybe } from './i18n';

export type { Schemas };

const STORAGE_KEY = 'bibarys.dashboard.tokens';
const listeners = new Set<(signedIn: boolean) => void>();

function loadTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

function saveTokens(tokens: Tokens | null): void {
  if (tokens) localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  else localStorage.removeItem(STORAGE_KEY);
  for (const l of listeners) l(tokens !== null);
}

export const client: BibarysClient = createBibarysClient({
  baseUrl: location.origin,
  tokens: loadTokens(),
  onTokens: saveTokens,
});
/** Typed calls: `api.GET('/api/v1/seller/balance')`; wrap them in `unwrap` to get data or throw. */
export const api = client.api;

/** Called with `false` when the session ends (logout, refused refresh), `true` on a new one. */
export function onSessionChange(listener: (signedIn: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A refused call: the status, the server's `code`, and its field errors by field path. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly fields: Record<string, string>,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const STATUS_TEXT: Partial<Record<number, MessageKey>> = {
  403: 'error.forbidden',
  404: 'error.notFound',
  409: 'error.conflict',
};

/** The failure of a response: field errors in Russian where the code is known. */
export function failureOf(response: Response, error: unknown): ApiFailure {
  const body = (error ?? {}) as Partial<ApiError> & {
    errors?: { field: string; code: string; message: string }[];
  };
  const fields: Record<string, string> = {};
  for (const e of body.errors ?? []) {
    fields[e.field] ??= tMaybe(`field.${e.code}`, e.message);
  }
  const serverMessage = Array.isArray(body.message) ? body.message.join('; ') : body.message;
  const message = Object.keys(fields).length
    ? t('error.fields')
    : STATUS_TEXT[response.status]
      ? t(STATUS_TEXT[response.status]!)
      : String(serverMessage ?? t('error.generic', { status: response.status }));
  const retry = Number(response.headers.get('Retry-After'));
  return new ApiFailure(
    response.status,
    body.code,
    fields,
    message,
    Number.isFinite(retry) && retry > 0 ? retry : null,
  );
}

type Result<T> =
  | { data: T; error?: never; response: Response }
  | { data?: never; error: unknown; response: Response };

/**
 * The data of a typed call, or an ApiFailure (a network error becomes status 0). Never undefined
 * in its type: the typed client marks every body optional (its responses list headers), while an
 * answer that succeeded carries its body (a 204 route's callers ignore the value).
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<NonNullable<T>> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    if (e instanceof ApiFailure) throw e;
    throw new ApiFailure(0, undefined, {}, t('error.network'));
  }
  if (result.error !== undefined || !result.response.ok) {
    throw failureOf(result.response, result.error);
  }
  return result.data as NonNullable<T>;
}

/**
 * A file answer (CSV statement, bank register) saved by the browser: fetched with the session's
 * bearer (and refresh) through the client's fetch, then handed over as a download. `accept`: the
 * format asked for (a route that answers JSON or CSV by `Accept`, as the seller's statement).
 */
export async function download(path: string, filename: string, accept = 'text/csv'): Promise<void> {
  const response = await client.session.fetch(
    new Request(new URL(path, location.origin), { headers: { Accept: accept } }),
  );
  if (!response.ok) {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    throw failureOf(response, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
