import createClient, { type Client } from 'openapi-fetch';

import type { components, paths } from './schema';

/** The pair a login (and a refresh) answers with; `refresh_token` where the server issues one. */
export interface Tokens {
  access_token: string;
  refresh_token?: string | null;
}

export interface BibarysClientOptions {
  /** The server's origin, e.g. `http://localhost:8001` (the paths carry `/api/v1`). */
  baseUrl: string;
  /** Tokens of an earlier session, if any. */
  tokens?: Tokens | null;
  /** Called with every new pair (login, refresh) and with null when the session ended. */
  onTokens?: (tokens: Tokens | null) => void;
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
}

export type Schemas = components['schemas'];
export type ApiError = Schemas['ErrorResponse'];

/** Requests sent without the bearer, whose 401 means "wrong credentials", never "refresh". */
const NO_REFRESH = /\/api\/v1\/auth\/(login|register|refresh)$/;
export const REFRESH_PATH = '/api/v1/auth/refresh';

/**
 * Holds the bearer token and sends it on every request. On a 401 it calls `POST /auth/refresh`
 * with the refresh token once (concurrent 401s share one refresh), then repeats the request with
 * the new access token. When the server has no refresh route (404), or the refresh fails, the
 * original 401 is returned; a refused refresh (401) also forgets the tokens.
 */
export class TokenSession {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly baseUrl: string,
    private tokens: Tokens | null,
    private readonly onTokens: (tokens: Tokens | null) => void,
    private readonly send: (request: Request) => Promise<Response>,
  ) {}

  get current(): Tokens | null {
    return this.tokens;
  }

  set(tokens: Tokens | null): void {
    this.tokens = tokens;
    this.onTokens(tokens);
  }

  /** The fetch openapi-fetch calls: bearer on, one refresh and retry on a 401. */
  readonly fetch = async (request: Request): Promise<Response> => {
    if (NO_REFRESH.test(new URL(request.url).pathname)) return this.send(request);
    const retry = request.clone();
    const sentWith = this.tokens?.access_token;
    const response = await this.send(this.authorised(request));
    if (response.status !== 401) return response;
    // another request may have refreshed meanwhile: then only the retry is left to do
    const fresh =
      this.tokens?.access_token !== sentWith && this.tokens !== null
        ? true
        : await this.refreshOnce();
    if (!fresh) return response;
    return this.send(this.authorised(retry));
  };

  private authorised(request: Request): Request {
    if (this.tokens?.access_token && !request.headers.has('Authorization')) {
      request.headers.set('Authorization', `Bearer ${this.tokens.access_token}`);
    }
    return request;
  }

  private refreshOnce(): Promise<boolean> {
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refresh_token;
    if (!refreshToken) return false;
    const res = await this.send(
      new Request(new URL(REFRESH_PATH, this.baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: refreshToken }),
      }),
    );
    if (res.ok) {
      const pair = (await res.json()) as Tokens;
      this.set({ access_token: pair.access_token, refresh_token: pair.refresh_token ?? null });
      return true;
    }
    if (res.status === 401) this.set(null); // the session ended (or the token was reused)
    return false; // 404: this server has no refresh route; anything else: try again later
  }
}

export interface BibarysClient {
  /** Typed calls: `api.GET('/api/v1/products', { params: { query: { page: 1 } } })`. */
  api: Client<paths>;
  session: TokenSession;
  /** `POST /auth/login`, keeping the tokens for every later call. */
  logIn(email: string, password: string): Promise<Schemas['LoginResponse']>;
  /** Forgets the tokens (the server-side logout arrives with sessions). */
  forget(): void;
}

export function createBibarysClient(options: BibarysClientOptions): BibarysClient {
  const send = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const session = new TokenSession(
    options.baseUrl,
    options.tokens ?? null,
    options.onTokens ?? (() => undefined),
    send,
  );
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: session.fetch });
  return {
    api,
    session,
    async logIn(email, password) {
      const { data, error, response } = await api.POST('/api/v1/auth/login', {
        body: { email, password },
      });
      if (!data) throw new BibarysApiError(response.status, error as ApiError | undefined);
      const refresh = (data as { refresh_token?: string }).refresh_token ?? null;
      session.set({ access_token: data.access_token, refresh_token: refresh });
      return data;
    },
    forget: () => session.set(null),
  };
}

/** A non-2xx answer, with the server's error body (its `code` is one of ErrorCode). */
export class BibarysApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError | undefined,
  ) {
    super(`HTTP ${status}${body?.code ? ` ${body.code}` : ''}: ${String(body?.message ?? '')}`);
    this.name = 'BibarysApiError';
  }
}
