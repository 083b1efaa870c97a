import { spawn } from 'node:child_process';

import { OutboxMail } from '../../src/modules/email/outbox-mail.entity';
import { createTestApp, TestApp } from '../create-test-app';
import { customerWithOrder, pay } from '../factories/payments';
import { insertProduct } from '../factories/products';
import { makeUser, uniqueEmail } from '../factories/users';
import { openApiOf } from '../security/openapi';

/**
 * Issue 17: GET /metrics in the Prometheus text format: HTTP requests by route pattern and
 * status, Node's process metrics and event-loop lag, the outbox backlog read at scrape, payment
 * and refund outcomes, SQLite lock waits (or the PostgreSQL pool), METRICS_TOKEN.
 */

/** The value of the sample `name{labels}` (labels matched as a subset), or undefined. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

const scrape = async (t: TestApp) => {
  const res = await t.http.get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text;
};

async function eventually<T>(read: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('counts requests and their latency by method, route pattern and status', async () => {
    const seller = await makeUser(t.http, 'seller');
    const before = sample(await scrape(t), 'http_requests_total', {
      route: '/api/v1/products/:id',
      status: '404',
    });
    for (let i = 0; i < 3; i++) {
      await t.http.get(`/api/v1/products/00000000-0000-4000-8000-00000000000${i}`).expect(404);
    }
    await t.http.get('/api/v1/nothing-here').expect(404);
    const text = await scrape(t);
    const labels = { method: 'GET', route: '/api/v1/products/:id', status: '404' };
    expect(sample(text, 'http_requests_total', labels)).toBe((before ?? 0) + 3);
    expect(sample(text, 'http_request_duration_seconds_count', labels)).toBe((before ?? 0) + 3);
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(
      (before ?? 0) + 3,
    );
    expect(sample(text, 'http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    // no raw URL ever becomes a label
    expect(text).not.toContain('00000000-0000-4000-8000');
    expect(text).not.toContain('nothing-here');
    expect(seller.id).toBeTruthy();
  });

  it("counts the catalog fast path's answers (in front of Express) under their route patterns", async () => {
    const seller = await makeUser(t.http, 'seller');
    const p = await insertProduct(t.ds, seller.id);
    const list = '/api/v1/products?page_size=2';
    const miss = await t.http.get(`/api/v1/products/${p.id}`).expect(200);
    await t.http.get(list).expect(200);
    const product = { method: 'GET', route: '/api/v1/products/:id' };
    const listing = { method: 'GET', route: '/api/v1/products' };
    const before = await scrape(t);
    const count = (text: string, labels: Record<string, string>) =>
      sample(text, 'http_requests_total', labels) ?? 0;
    for (let i = 0; i < 3; i++) {
      const hit = await t.http.get(`/api/v1/products/${p.id}`).expect(200);
      expect(hit.headers['x-cache']).toBe('hit');
    }
    await t.http
      .get(`/api/v1/products/${p.id}`)
      .set('If-None-Match', miss.headers.etag)
      .expect(304);
    await t.http.get(list).expect(200);
    await t.http.get(`${list}&page=1`).expect(200); // the same route, another URL: a miss
    const after = await scrape(t);
    expect(count(after, { ...product, status: '200' })).toBe(
      count(before, { ...product, status: '200' }) + 3,
    );
    expect(count(after, { ...product, status: '304' })).toBe(
      count(before, { ...product, status: '304' }) + 1,
    );
    expect(count(after, { ...listing, status: '200' })).toBe(
      count(before, { ...listing, status: '200' }) + 2,
    );
    const bucket = { ...product, status: '200', le: '+Inf' };
    expect(sample(after, 'http_request_duration_seconds_bucket', bucket)).toBe(
      count(after, { ...product, status: '200' }),
    );
    expect(
      sample(after, 'http_request_duration_seconds_sum', { ...product, status: '200' }),
    ).toBeGreaterThan(0);
  });

  it("serves Node's process metrics and the event-loop lag", async () => {
    const text = await scrape(t);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(sample(text, name)).toEqual(expect.any(Number));
    }
  });

  it('reads the outbox backlog at scrape: pending, failed and the oldest pending age', async () => {
    const repo = t.ds.getRepository(OutboxMail);
    const base = {
      subject: 's',
      textBody: 't',
      htmlBody: 'h',
      kind: 'test',
      attempts: 0,
      requestId: null,
    };
    const old = new Date(Date.now() - 3600_000);
    await repo.insert([
      {
        ...base,
        toAddress: uniqueEmail('later'),
        status: 'pending',
        nextAttemptAt: new Date('2100-01-01'),
      },
      {
        ...base,
        toAddress: uniqueEmail('gone1'),
        status: 'failed',
        nextAttemptAt: old,
        attempts: 100,
      },
      {
        ...base,
        toAddress: uniqueEmail('gone2'),
        status: 'failed',
        nextAttemptAt: old,
        attempts: 100,
      },
    ]);
    await repo.update({ kind: 'test', status: 'pending' }, { createdAt: old });
    const text = await scrape(t);
    expect(sample(text, 'bibarys_mail_outbox_mails', { status: 'failed' })).toBe(2);
    expect(sample(text, 'bibarys_mail_outbox_mails', { status: 'pending' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(text, 'bibarys_mail_outbox_oldest_pending_seconds')).toBeGreaterThan(3500);
    await repo.delete({ kind: 'test' });
    const after = await scrape(t);
    expect(sample(after, 'bibarys_mail_outbox_mails', { status: 'failed' })).toBe(0);
  });

  it('counts payment and refund outcomes', async () => {
    const seller = await makeUser(t.http, 'seller');
    const { customer, order } = await customerWithOrder(t.http, t.ds, seller.id);
    const labels = { method: 'card', status: 'completed' };
    const before = sample(await scrape(t), 'bibarys_payment_outcomes_total', labels) ?? 0;
    expect((await pay(t.http, customer, order.id, 'card')).status).toBe(201);
    expect(sample(await scrape(t), 'bibarys_payment_outcomes_total', labels)).toBe(before + 1);
    const refunded = { kind: 'order', outcome: 'completed' };
    const refundsBefore = sample(await scrape(t), 'bibarys_refund_outcomes_total', refunded) ?? 0;
    expect((await t.http.put(`/api/v1/orders/${order.id}/cancel`).set(customer.auth)).status).toBe(
      200,
    );
    const n = await eventually(async () => {
      const v = sample(await scrape(t), 'bibarys_refund_outcomes_total', refunded);
      return v !== undefined && v > refundsBefore ? v : undefined;
    });
    expect(n).toBe(refundsBefore + 1);
  });

  it('shows the database: SQLite lock waits counted, or the PostgreSQL pool', async () => {
    const text = await scrape(t);
    if (t.db === 'postgres') {
      expect(sample(text, 'bibarys_db_pool_max')).toBe(20);
      expect(sample(text, 'bibarys_db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
      expect(sample(text, 'bibarys_db_pool_connections', { state: 'waiting' })).toBe(0);
      expect(sample(text, 'bibarys_db_busy_retries_total', { db: 'postgres' })).toEqual(
        expect.any(Number),
      );
      return;
    }
    expect(sample(text, 'bibarys_db_pool_connections', { state: 'total' })).toBeUndefined();
    // counted from here: a BEGIN that a loaded machine merely descheduled for a millisecond
    // counts as a wait too (the metric cannot tell), so earlier tests may have added some
    const retries = sample(text, 'bibarys_db_busy_retries_total', { db: 'sqlite' })!;
    const waited = sample(text, 'bibarys_sqlite_lock_wait_seconds_total')!;
    expect(retries).toEqual(expect.any(Number));
    const user = await makeUser(t.http, 'customer');
    // another process holds the write lock for 300 ms: the next write waits for it, and succeeds
    const { released } = await holdSqliteWriteLock(t.env.DATABASE_PATH, 300);
    const res = await t.http.put('/api/v1/auth/profile').set(user.auth).send({ first_name: 'Ж' });
    await released;
    expect(res.status).toBe(200);
    const after = await scrape(t);
    expect(sample(after, 'bibarys_db_busy_retries_total', { db: 'sqlite' })).toBeGreaterThanOrEqual(
      retries + 1,
    );
    expect(sample(after, 'bibarys_sqlite_lock_wait_seconds_total')! - waited).toBeGreaterThan(0.1);
    expect(sample(after, 'bibarys_db_busy_failures_total', { db: 'sqlite' })).toBe(0);
  });

  it('is not part of the OpenAPI document (it is for the scraper, not for API clients)', () => {
    expect(Object.keys(openApiOf(t).paths as object)).not.toContain('/metrics');
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestApp;
  const TOKEN = 'scrape-token-0123456789';
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: TOKEN, SQLITE_BUSY_TIMEOUT_MS: '100' });
  });
  afterAll(() => t.close());

  it('answers 401 without the bearer token or with a wrong one, 200 with it', async () => {
    const none = await t.http.get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.text).not.toContain('http_requests_total');
    expect((await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(
      401,
    );
    expect((await t.http.get('/metrics').set('Authorization', TOKEN)).status).toBe(401);
    const ok = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('http_requests_total');
  });

  it('counts a write given up on a busy database (SQLite), or a retried one (PostgreSQL)', async () => {
    const read = async () =>
      (await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text;
    if (t.db === 'postgres') {
      expect(sample(await read(), 'bibarys_db_busy_failures_total', { db: 'postgres' })).toBe(0);
      return;
    }
    const user = await makeUser(t.http, 'customer');
    const count = (text: string, name: string) => sample(text, name, { db: 'sqlite' })!;
    const before = await read();
    // the lock is held longer than SQLITE_BUSY_TIMEOUT_MS (100 ms): 503, counted as given up.
    // Deltas, not totals: another write may start while the lock is held (the outbox sending
    // the sign-up mail), and on a loaded machine any BEGIN can take over the 1 ms that counts
    // as a wait, so the only certain counts are "at least this request's".
    const { released } = await holdSqliteWriteLock(t.env.DATABASE_PATH, 1000);
    const res = await t.http.put('/api/v1/auth/profile').set(user.auth).send({ first_name: 'Ж' });
    await released;
    expect(res.status).toBe(503);
    const after = await read();
    const gaveUp =
      count(after, 'bibarys_db_busy_failures_total') -
      count(before, 'bibarys_db_busy_failures_total');
    expect(gaveUp).toBeGreaterThanOrEqual(1);
    // a BEGIN given up on waited its whole busy timeout first, so it counts as a wait too
    expect(
      count(after, 'bibarys_db_busy_retries_total') -
        count(before, 'bibarys_db_busy_retries_total'),
    ).toBeGreaterThanOrEqual(gaveUp);
  });
});

/**
 * A second process takes SQLite's write lock (BEGIN IMMEDIATE) on the file and keeps it for
 * `ms`; resolves once it holds it, with a promise of its release.
 */
async function holdSqliteWriteLock(path: string, ms: number): Promise<{ released: Promise<void> }> {
  const driver = require.resolve('better-sqlite3');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const D = require(${JSON.stringify(driver)}); const db = new D(process.argv[1]);
       db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`,
      path,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
  // (an object: an async function returning the promise itself would wait for it)
  return { released: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
}
