import { Worker } from 'node:worker_threads';

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';

import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/app-config';
import { Metrics } from '../observability/metrics';
import { UnitOfWork } from './unit-of-work';

/** How often the worker checkpoints the WAL. */
export const CHECKPOINT_EVERY_MS = 100;
/**
 * The longest a RESTART checkpoint waits, for the writer in progress and then, holding the write
 * lock (writers wait), for readers of the old WAL (another process's long read, a backup): past
 * it, the RESTART gives up and the next one tries again.
 */
const RESTART_WAIT_MS = 25;
/** The write queue goes on after this long even if the worker has not answered the RESTART. */
const RESTART_GIVE_UP_MS = 1000;
/** SQLite's own default, restored whenever the worker is not running. */
const AUTO_CHECKPOINT_PAGES = 1000;

interface SqliteHandle {
  pragma(s: string, o?: { simple: boolean }): unknown;
}

/** What one PASSIVE checkpoint reported: frames in the WAL and frames copied to the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

// The worker's code, run with `eval` so it needs no file of its own (the tests run from src/).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// the busy timeout is what a RESTART may wait (PASSIVE never waits): for the writer in progress
// before it takes the write lock, and for readers of the old WAL while it holds it
const db = new Database(workerData.path, { timeout: workerData.restartWaitMs });
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
let last = -1;
let asked = false;
const timer = setInterval(() => {
  try {
    const r = passive.get();
    // past the limit: ask the main thread for a moment without its writes (see restartBetweenWrites)
    if (r.log >= workerData.restartFrames && !asked) {
      asked = true;
      parentPort.postMessage({ restart: true });
    }
    if (r.log !== last || r.checkpointed !== r.log) parentPort.postMessage({ result: r });
    last = r.log;
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m === 'restart') {
    let r = null;
    try {
      r = restart.get();
    } catch (e) {
      parentPort.postMessage({ error: String(e && e.message || e) });
    }
    asked = false;
    // busy: another process's writer or reader outlasted the wait; the next pass asks again
    parentPort.postMessage(r ? { restarted: r.busy === 0, result: r } : { restarted: false });
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. With the default automatic checkpoint the
 * commit that crosses 1,000 WAL pages copies them into the database file and fsyncs it, on the
 * main thread: under the checkout benchmark 1 commit in 60 took 1–12 ms (p50 31 µs) and those
 * commits were more than half of all commit time. Here a worker thread with its own connection
 * runs `PRAGMA wal_checkpoint(PASSIVE)` every 100 ms (it never blocks readers or writers), and the
 * main connection's automatic checkpoint is off while — and only while — the worker runs: if the
 * worker fails or stops, the automatic checkpoint is back at once.
 *
 * SQLite starts the WAL over only when a write begins while every frame has been copied, which
 * under writes that never pause (a checkout every few milliseconds) does not happen: the file
 * grew with every commit (600 MB in a minute of the checkout benchmark), and a commit that made
 * it longer cost 3.3× one that wrote over it. So when the WAL holds more than `SQLITE_WAL_MAX_MB`,
 * the worker asks for a RESTART, which copies the few frames left and makes the next commit write
 * from the start of the file. It runs between this process's writes (`restartBetweenWrites`), and
 * waits at most `RESTART_WAIT_MS` for another process's writer or reader (docs/architecture.md).
 */
@Injectable()
export class SqliteCheckpointer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SqliteCheckpointer');
  private worker?: Worker;
  private stopping = false;
  /** The last report of the worker (for tests and diagnostics). */
  last?: CheckpointResult;

  private readonly restarts: Counter;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    metrics: Metrics,
  ) {
    this.restarts = metrics.counter({
      name: 'bibarys_sqlite_wal_restarts_total',
      help: 'Times the checkpoint worker made the SQLite WAL start over (it had passed SQLITE_WAL_MAX_MB)',
    });
  }

  get running(): boolean {
    return !!this.worker;
  }

  onApplicationBootstrap(): void {
    const db = this.config.database;
    if (db.type !== 'sqlite' || db.path === ':memory:' || this.ds.options.type !== 'better-sqlite3')
      return;
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        driver: require.resolve('better-sqlite3'),
        path: db.path,
        restartWaitMs: RESTART_WAIT_MS,
        everyMs: CHECKPOINT_EVERY_MS,
        // frames of one page each (the page size is 4 KiB): SQLITE_WAL_MAX_MB
        restartFrames: (db.walMaxMb * 1024 * 1024) / 4096,
      },
    });
    worker.unref();
    this.worker = worker;
    worker.on('online', () => {
      if (this.worker === worker) this.autoCheckpoint(0);
    });
    let lastError: string | undefined; // a failure is logged once, not every 100 ms
    worker.on('message', (m: { result?: CheckpointResult; error?: string; restart?: true }) => {
      if (m.restart) void this.restartBetweenWrites(worker);
      if (m.result) {
        this.last = m.result;
        lastError = undefined;
      }
      if (m.error && m.error !== lastError) this.logger.warn(`checkpoint failed: ${m.error}`);
      lastError = m.error ?? lastError;
    });
    worker.on('error', (e) => this.logger.warn(`checkpoint worker failed: ${e.message}`));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.autoCheckpoint(AUTO_CHECKPOINT_PAGES);
      if (!this.stopping) this.logger.warn('checkpoint worker stopped: SQLite checkpoints itself');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((r) => worker.once('exit', r));
    worker.postMessage('stop');
    // a referenced timer: the worker is unref'd, and with an unref'd timer too an idle event loop
    // would end the process here, in the middle of close(), with exit code 0 and nothing said
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    if (this.worker === worker) {
      this.worker = undefined;
      await worker.terminate();
      this.autoCheckpoint(AUTO_CHECKPOINT_PAGES);
    }
  }

  /**
   * The RESTART in the write queue's next turn (`UnitOfWork.exclusive`): while it runs this
   * process's writes wait in the queue, and the event loop goes on, instead of sleeping in
   * SQLite's busy handler on the main thread (1, 2, 5, 10 ms … per try) for the worker's write
   * lock. Settles when the worker answers, exits, or after RESTART_GIVE_UP_MS.
   */
  private restartBetweenWrites(worker: Worker): Promise<void> {
    return this.uow.exclusive(
      () =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            worker.off('exit', done);
            resolve();
          };
          const onMessage = (m: { restarted?: boolean }) => {
            if (m.restarted) this.restarts.inc();
            if (m.restarted !== undefined) done();
          };
          const timer = setTimeout(done, RESTART_GIVE_UP_MS);
          timer.unref();
          worker.on('message', onMessage);
          worker.once('exit', done);
          worker.postMessage('restart');
        }),
    );
  }

  private autoCheckpoint(pages: number): void {
    try {
      const conn = (this.ds.driver as unknown as { databaseConnection?: SqliteHandle })
        .databaseConnection;
      conn?.pragma(`wal_autocheckpoint = ${pages}`);
    } catch (e) {
      // the connection is already closed (shutdown): nothing to restore
      this.logger.debug?.(`wal_autocheckpoint not set: ${(e as Error).message}`);
    }
  }
}
