import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The bootstrap admin of every server started here (the same as createTestApp's). */
export const SERVER_ADMIN = { email: 'admin@bibarys.test', password: 'admin-password-1' };
/** The JWT secret every server started here uses (tests may mint tokens with it). */
export const SERVER_JWT_SECRET = 'fault-test-secret-that-is-long-enough-0123456789';

/**
 * The built server (`dist/main.js`, or `SERVER_ENTRY` when set) as a real child process, so a
 * test can kill it (-9 or SIGTERM), restart it on the same database and watch what survives.
 * Build first (`node scripts/ensure-build.js`, done by `npm run test:faults`).
 */
export class ServerProcess {
  readonly port: number;
  readonly url: string;
  readonly env: Record<string, string>;
  private child?: ChildProcess;
  private exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout + stderr of every run of this server, for failure messages. */
  output = '';

  private constructor(
    port: number,
    env: Record<string, string>,
    private readonly root = ROOT,
  ) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.env = env;
  }

  /**
   * Starts the server on a free port with the test defaults plus `env`; resolves once /health
   * answers. `root`: a release folder to run instead of this checkout (its own dist/ and
   * node_modules/, nothing borrowed from the checkout).
   */
  static async start(env: Record<string, string>, root = ROOT): Promise<ServerProcess> {
    // a port given in env is used as it is (a test of what happens when it is taken)
    const port = env.PORT ? Number(env.PORT) : await freePort();
    const server = new ServerProcess(
      port,
      {
        NODE_ENV: 'test',
        JWT_SECRET: SERVER_JWT_SECRET,
        ADMIN_EMAIL: SERVER_ADMIN.email,
        ADMIN_PASSWORD: SERVER_ADMIN.password,
        PAYMENT_WEBHOOK_SECRET: 'test-webhook-secret',
        BCRYPT_ROUNDS: '10',
        PASSWORD_HASH_IDLE: 'false', // as createTestApp: the suites run side by side
        MAIL_POLL_MS: '200',
        LOG_REQUESTS: 'false',
        RATE_LIMIT_REGISTER: '100000/1h',
        RATE_LIMIT_PASSWORD_FORGOT: '100000/1h',
        ...env,
        PORT: String(port),
      },
      root,
    );
    await server.restart();
    return server;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * (Re)starts the process on the same port and database; resolves once the child has said it
   * listens on the port (main.ts's "serves on" line, at LOG_LEVEL info) and /health answers 200.
   * The port was free when `freePort` picked it, but another process may bind it before the
   * child does (a supertest request listens on port 0): its /health would answer 200 while the
   * child is still migrating, and the child, stopped then, would leave its migration undone. A
   * child that cannot bind exits, and that fails here.
   */
  async restart(timeoutMs = 30_000): Promise<void> {
    if (this.running) throw new Error('server is still running');
    const release = this.root !== ROOT;
    const entry = release
      ? join(this.root, 'dist', 'main.js')
      : (process.env.SERVER_ENTRY ?? join(ROOT, 'dist', 'main.js'));
    const child = spawn(process.execPath, [entry], {
      cwd: this.root,
      env: {
        PATH: process.env.PATH ?? '',
        ...(release ? {} : { NODE_PATH: join(ROOT, 'node_modules') }),
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const serving = `serves on http://localhost:${this.port} `;
    let listening = false;
    let tail = '';
    const collect = (b: Buffer) => {
      const text = b.toString();
      // the line may arrive in two chunks: look at the end of the last one too
      listening ||= (tail + text).includes(serving);
      tail = text.slice(-serving.length);
      this.output += text;
      if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`server exited during start:\n${this.output.slice(-4000)}`);
      }
      if (!listening) {
        await sleep(50);
        continue;
      }
      try {
        const res = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(1000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    this.child.kill('SIGKILL');
    throw new Error(
      `server did not answer /health in ${timeoutMs} ms:\n${this.output.slice(-4000)}`,
    );
  }

  /** Sends a signal (default SIGKILL) without waiting. */
  signal(sig: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(sig);
  }

  /** Resolves with the exit code and signal of the current run. */
  async waitForExit(timeoutMs = 20_000): Promise<{ code: number | null; signal: string | null }> {
    if (!this.exited) throw new Error('never started');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`server did not exit in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** kill -9 and wait until the process is gone. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGKILL');
    await this.waitForExit();
  }

  /** Stops the server for good (SIGKILL if it does not leave on SIGTERM within 10 s). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    try {
      await this.waitForExit(10_000);
    } catch {
      await this.kill9();
    }
  }

  /** JSON request against this server; never throws on an HTTP status. */
  async request(
    method: string,
    path: string,
    o: {
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
      timeoutMs?: number;
    } = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.Authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body, headers: res.headers };
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
