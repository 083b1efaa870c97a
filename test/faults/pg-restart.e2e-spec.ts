import { ServerProcess, sleep } from '../support/server-process';
import { PgCluster } from './support/pg-cluster';

interface Sample {
  /** the phase when the request was sent and when its answer came */
  phase: 'before' | 'outage' | 'after';
  ended: 'before' | 'outage' | 'after';
  status: number;
  retryAfter: string | null;
  what: string;
}

/**
 * PostgreSQL goes down and comes back while clients keep calling: during the outage the API
 * answers 503 (never 500) with Retry-After, /health/ready says 503, and once the database is
 * back the same server process serves again by itself.
 */
describe('faults: PostgreSQL restarted under load', () => {
  let pg: PgCluster;
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    pg = await PgCluster.create();
    const url = await pg.createDatabase('bibarys_faults_restart');
    server = await ServerProcess.start({ DATABASE_URL: url });
    const email = 'pg.restart@example.kz';
    const password = 'password-123';
    const reg = await server.request('POST', '/api/v1/auth/register', {
      body: { email, password, first_name: 'Марат', last_name: 'Исаев' },
    });
    expect(reg.status).toBe(201);
    token = (await server.request('POST', '/api/v1/auth/login', { body: { email, password } })).body
      .access_token;
  });

  afterAll(async () => {
    await server?.stop();
    pg?.destroy();
  });

  it('answers 503 while the database is down and recovers without a restart', async () => {
    const pid = server.pid;
    let phase: Sample['phase'] = 'before';
    let running = true;
    const samples: Sample[] = [];
    const errors: string[] = [];
    let n = 0;
    const worker = async () => {
      while (running) {
        const i = n++;
        const [method, path, body] =
          i % 3 === 0
            ? ['PUT', '/api/v1/auth/profile', { last_name: `Исаев${i}` }]
            : i % 3 === 1
              ? ['GET', '/api/v1/auth/me', undefined]
              : ['GET', '/api/v1/products?page_size=5', undefined];
        const at = phase;
        try {
          const res = await server.request(method, path, { token, body, timeoutMs: 20_000 });
          samples.push({
            phase: at,
            ended: phase,
            status: res.status,
            retryAfter: res.headers.get('retry-after'),
            what: `${method} ${path}`,
          });
        } catch (e) {
          errors.push(`${method} ${path}: ${(e as Error).message}`);
        }
        await sleep(20);
      }
    };
    const workers = Array.from({ length: 4 }, () => worker());
    await sleep(500);

    phase = 'outage';
    pg.stop('fast');
    const outageSamples = () => samples.filter((s) => s.phase === 'outage').length;
    while (outageSamples() < 12) await sleep(50);
    const ready = await server.request('GET', '/health/ready');
    const live = await server.request('GET', '/health');
    pg.start();

    phase = 'after';
    // the server reconnects by itself: readiness comes back, then requests succeed
    let readyAgain = 0;
    for (let i = 0; i < 300 && readyAgain !== 200; i++) {
      readyAgain = (await server.request('GET', '/health/ready')).status;
      if (readyAgain !== 200) await sleep(100);
    }
    const recoveredFrom = samples.length;
    while (samples.length < recoveredFrom + 30) await sleep(50);
    running = false;
    await Promise.all(workers);

    if (samples.some((s) => s.status === 500)) console.log(server.output.slice(-6000));
    expect(errors).toEqual([]);
    // a dead database is the server's problem: 503, never a 500 nor a 401 that logs users out
    expect(samples.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);
    expect(samples.filter((s) => s.ended === 'before' && s.status !== 200)).toEqual([]);
    const down = samples.filter((s) => s.phase === 'outage');
    expect(down.filter((s) => s.status === 503).length).toBeGreaterThan(0);
    expect(down.filter((s) => s.status === 503 && !/^\d+$/.test(s.retryAfter ?? ''))).toEqual([]);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(ready.body).toMatchObject({
      statusCode: 503,
      status: 'error',
      details: { database: { status: 'down' } },
    });
    expect(live.status).toBe(200);
    expect(readyAgain).toBe(200);
    // after readiness is back, every request succeeds again on the same process
    expect(samples.slice(recoveredFrom).filter((s) => s.status !== 200)).toEqual([]);
    expect(server.pid).toBe(pid);
    expect(server.running).toBe(true);
  });
});
