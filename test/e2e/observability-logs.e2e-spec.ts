import { Logger as PinoNestLogger } from 'nestjs-pino';

import { DEMO_CARDS } from '../../src/modules/payments/demo-payment-provider';
import { createTestApp, TestApp } from '../create-test-app';
import { customerWithOrder, pay } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { makeUser, uniqueEmail } from '../factories/users';

/**
 * Issue 17: the app's log stream as main.ts sets it up (pino through nestjs-pino), captured line
 * by line. Every line is JSON; one line per request with method, route pattern, status,
 * duration and request id; the same request id on the lines a request causes, the outbox's
 * included (it sends later, in the background); secrets redacted.
 */
type Line = Record<string, any>;

class Capture {
  readonly raw: string[] = [];
  write(chunk: string): void {
    for (const l of chunk.split('\n')) if (l) this.raw.push(l);
  }
  get lines(): Line[] {
    return this.raw.map((l) => JSON.parse(l) as Line);
  }
  of(requestId: string): Line[] {
    return this.lines.filter((l) => l.request_id === requestId);
  }
  requestLine(requestId: string): Line | undefined {
    return this.of(requestId).find((l) => l.msg === 'request');
  }
  async until(what: string, test: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!test()) {
      if (Date.now() > end) throw new Error(`no log line for ${what} in ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('structured logs', () => {
  let t: TestApp;
  const logs = new Capture();

  beforeAll(async () => {
    t = await createTestApp({ LOG_REQUESTS: 'true', LOG_LEVEL: 'info' }, undefined, { logs });
  });
  afterAll(() => t.close());

  it('writes every line as one JSON object with level, time and message', () => {
    expect(logs.raw.length).toBeGreaterThan(0); // the boot lines, buffered until the logger
    for (const l of logs.lines) {
      expect(l).toEqual(
        expect.objectContaining({ level: expect.any(String), msg: expect.anything() }),
      );
      expect(new Date(l.time as string).toISOString()).toBe(l.time);
    }
  });

  it('writes one request line: method, route pattern, status, duration, request id', async () => {
    const seller = await makeUser(t.http, 'seller');
    const product = await insertProduct(t.ds, seller.id, { price: 990 });
    const res = await t.http.get(`/api/v1/products/${product.id}`).set('X-Request-Id', 'rq-one-1');
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBe('rq-one-1');
    await logs.until('rq-one-1', () => !!logs.requestLine('rq-one-1'));
    const lines = logs.of('rq-one-1').filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        level: 'info',
        method: 'GET',
        route: '/api/v1/products/:id', // the pattern, not the product's URL
        status: 200,
        request_id: 'rq-one-1',
      }),
    );
    expect(typeof lines[0].duration_ms).toBe('number');
    expect(JSON.stringify(lines[0])).not.toContain(product.id);
  });

  it('names the route of a catalog fast-path hit and of an unknown path', async () => {
    await t.http.get('/api/v1/products?page_size=3'); // stored by the framework path
    const hit = await t.http.get('/api/v1/products?page_size=3').set('X-Request-Id', 'rq-hit-1');
    expect(hit.headers['x-cache']).toBe('hit');
    const none = await t.http.get('/api/v1/no-such-thing/42').set('X-Request-Id', 'rq-404-1');
    expect(none.status).toBe(404);
    await logs.until('rq-404-1', () => !!logs.requestLine('rq-404-1'));
    expect(logs.requestLine('rq-hit-1')).toEqual(
      expect.objectContaining({ route: '/api/v1/products', status: 200 }),
    );
    expect(logs.requestLine('rq-404-1')).toEqual(
      expect.objectContaining({ route: 'unmatched', status: 404 }),
    );
  });

  it('gives a request without a sane X-Request-Id a fresh UUID, in the header and the line', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces');
    const id = res.headers['x-request-id'] as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await logs.until(id, () => !!logs.requestLine(id));
    expect(logs.requestLine(id)!.route).toBe('/health');
  });

  it('carries the request id to the outbox lines of the mail the request queued', async () => {
    const email = uniqueEmail('welcome');
    const res = await t.http
      .post('/api/v1/auth/register')
      .set('X-Request-Id', 'rq-register-1')
      .send({ email, password: 'password-123', first_name: 'Асель', last_name: 'Ахметова' });
    expect(res.status).toBe(201);
    // the sender delivers it later, outside the request: its lines still carry the id
    await logs.until('the welcome mail', () =>
      logs.of('rq-register-1').some((l) => l.context === 'MailOutbox' && /sent/.test(l.msg)),
    );
    const contexts = logs.of('rq-register-1').map((l) => l.context ?? 'request');
    expect(contexts).toEqual(expect.arrayContaining(['Mail', 'MailOutbox', 'request']));
    // and no other request's id on the lines about this mail
    const mailLines = logs.lines.filter(
      (l) => l.context === 'Mail' && String(l.msg).includes(email),
    );
    expect(mailLines.map((l) => l.request_id)).toEqual(['rq-register-1']);
  });

  it("carries the request id to the payments service's lines", async () => {
    const seller = await makeUser(t.http, 'seller');
    const { customer, order } = await customerWithOrder(t.http, t.ds, seller.id);
    const res = await pay(t.http, customer, order.id, 'card', {
      card_token: DEMO_CARDS.providerError,
    }).set('X-Request-Id', 'rq-pay-1');
    expect(res.status).toBe(502);
    await logs.until('rq-pay-1', () => !!logs.requestLine('rq-pay-1'));
    const service = logs.of('rq-pay-1').filter((l) => l.context === 'Payments');
    expect(service.length).toBeGreaterThan(0);
    expect(service[0]).toEqual(expect.objectContaining({ level: 'error' }));
    expect(logs.requestLine('rq-pay-1')).toEqual(
      expect.objectContaining({ route: '/api/v1/payments', method: 'POST', status: 502 }),
    );
  });

  it('never writes a password or a bearer token, and redacts secrets in logged objects', async () => {
    const password = 'secret-pass-XYZ-123';
    const email = uniqueEmail('redact');
    await t.http
      .post('/api/v1/auth/register')
      .set('X-Request-Id', 'rq-redact-1')
      .send({ email, password, first_name: 'А', last_name: 'Б' });
    const login = await t.http.post('/api/v1/auth/login').send({ email, password });
    const token = login.body.access_token as string;
    await t.http
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .set('X-Request-Id', 'rq-me-1');
    await logs.until('rq-me-1', () => !!logs.requestLine('rq-me-1'));

    const logger = t.app.get(PinoNestLogger);
    logger.log(
      {
        msg: 'debugging a request',
        password,
        body: { new_password: password, refresh_token: 'rt-secret-1', token: 'tk-secret-1' },
        headers: { authorization: `Bearer ${token}`, cookie: 'sid=cookie-secret-1' },
      },
      'RedactionTest',
    );
    const all = logs.raw.join('\n');
    for (const secret of [password, token, 'rt-secret-1', 'tk-secret-1', 'cookie-secret-1']) {
      expect(all).not.toContain(secret);
    }
    const line = logs.lines.find((l) => l.context === 'RedactionTest')!;
    expect(line.password).toBe('[redacted]');
    expect(line.body).toEqual({
      new_password: '[redacted]',
      refresh_token: '[redacted]',
      token: '[redacted]',
    });
    expect(line.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
    // the request line of a signed-in call names the user, not the token
    expect(logs.requestLine('rq-me-1')!.user_id).toEqual(expect.any(String));
  });
});
