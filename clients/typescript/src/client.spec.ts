import { createBibarysClient, REFRESH_PATH, Tokens } from './client';

const BASE = 'http://api.test';
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A server that accepts one access token, and refreshes `r1` into `fresh`/`r2` (or as told). */
function fakeServer(refresh: 'works' | 'absent' | 'refused' = 'works') {
  let valid = 'fresh';
  const seen: string[] = [];
  const fetch = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    seen.push(`${req.method} ${path} ${req.headers.get('Authorization') ?? '-'}`);
    if (path === REFRESH_PATH) {
      if (refresh === 'absent') return json(404, { statusCode: 404, code: 'NOT_FOUND' });
      if (refresh === 'refused') return json(401, { statusCode: 401, code: 'UNAUTHENTICATED' });
      const body = (await req.json()) as { refresh_token: string };
      if (body.refresh_token !== 'r1') return json(401, { statusCode: 401 });
      return json(200, { access_token: 'fresh', refresh_token: 'r2' });
    }
    if (path === '/api/v1/auth/login') return json(401, { statusCode: 401 });
    if (req.headers.get('Authorization') !== `Bearer ${valid}`) {
      return json(401, { statusCode: 401, error: 'Unauthorized', code: 'UNAUTHENTICATED' });
    }
    const body = req.method === 'PUT' ? await req.text() : '';
    return json(200, { ok: true, body });
  };
  return { fetch, seen, revoke: (next: string) => (valid = next) };
}

describe('typed client: bearer and refresh', () => {
  it('sends the bearer, refreshes once on a 401 and repeats the request with its body', async () => {
    const server = fakeServer();
    const saved: (Tokens | null)[] = [];
    const c = createBibarysClient({
      baseUrl: BASE,
      tokens: { access_token: 'expired', refresh_token: 'r1' },
      onTokens: (t) => saved.push(t),
      fetch: server.fetch,
    });
    const { data, response } = await c.api.PUT('/api/v1/auth/profile', {
      body: { first_name: 'Айгерим' },
    });
    expect(response.status).toBe(200);
    expect((data as unknown as { body: string }).body).toBe('{"first_name":"Айгерим"}');
    expect(server.seen).toEqual([
      'PUT /api/v1/auth/profile Bearer expired',
      `POST ${REFRESH_PATH} -`,
      'PUT /api/v1/auth/profile Bearer fresh',
    ]);
    expect(saved).toEqual([{ access_token: 'fresh', refresh_token: 'r2' }]);
  });

  it('concurrent 401s share one refresh', async () => {
    const server = fakeServer();
    const c = createBibarysClient({
      baseUrl: BASE,
      tokens: { access_token: 'expired', refresh_token: 'r1' },
      fetch: server.fetch,
    });
    const answers = await Promise.all([1, 2, 3].map(() => c.api.GET('/api/v1/auth/me')));
    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200]);
    expect(server.seen.filter((s) => s.includes(REFRESH_PATH))).toHaveLength(1);
  });

  it('without a refresh route (404) the 401 comes back and the tokens stay', async () => {
    const server = fakeServer('absent');
    const c = createBibarysClient({
      baseUrl: BASE,
      tokens: { access_token: 'expired', refresh_token: 'r1' },
      fetch: server.fetch,
    });
    const { error, response } = await c.api.GET('/api/v1/auth/me');
    expect(response.status).toBe(401);
    expect(error?.code).toBe('UNAUTHENTICATED');
    expect(c.session.current).toEqual({ access_token: 'expired', refresh_token: 'r1' });
  });

  it('a refused refresh forgets the tokens; no refresh token, no refresh', async () => {
    const refused = fakeServer('refused');
    const saved: (Tokens | null)[] = [];
    const c = createBibarysClient({
      baseUrl: BASE,
      tokens: { access_token: 'expired', refresh_token: 'stolen' },
      onTokens: (t) => saved.push(t),
      fetch: refused.fetch,
    });
    expect((await c.api.GET('/api/v1/auth/me')).response.status).toBe(401);
    expect(saved).toEqual([null]);

    const plain = fakeServer();
    const d = createBibarysClient({
      baseUrl: BASE,
      tokens: { access_token: 'expired' },
      fetch: plain.fetch,
    });
    expect((await d.api.GET('/api/v1/auth/me')).response.status).toBe(401);
    expect(plain.seen).toEqual(['GET /api/v1/auth/me Bearer expired']);
  });

  it('a 401 from login is wrong credentials, not a reason to refresh', async () => {
    const server = fakeServer();
    const c = createBibarysClient({
      baseUrl: BASE,
      tokens: { access_token: 'expired', refresh_token: 'r1' },
      fetch: server.fetch,
    });
    await expect(c.logIn('a@b.kz', 'wrong-password')).rejects.toMatchObject({ status: 401 });
    expect(server.seen).toEqual(['POST /api/v1/auth/login -']);
  });
});
