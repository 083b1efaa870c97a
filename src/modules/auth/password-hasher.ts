import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';

const WORKER_SOURCE = (bcryptPath: string) => `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(bcryptPath)});
parentPort.on('message', (m) => {
  try {
    const result = m.op === 'hash' ? bcrypt.hashSync(m.a, m.b) : bcrypt.compareSync(m.a, m.b);
    parentPort.postMessage({ id: m.id, result });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String(e && e.message || e) });
  }
});`;

interface Job {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * bcrypt (bcryptjs, cost from BCRYPT_ROUNDS, at least 10) on worker threads, so a storm of logins
 * never blocks the event loop that serves everything else.
 */
@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private readonly workers: Worker[] = [];
  private readonly busy = new Map<Worker, number>();
  private readonly jobs = new Map<number, Job>();
  private nextId = 1;
  private dummyHash?: Promise<string>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const size = Math.max(1, Math.min(4, availableParallelism() - 1));
    const source = WORKER_SOURCE(require.resolve('bcryptjs'));
    for (let i = 0; i < size; i++) {
      const w = new Worker(source, { eval: true });
      w.unref();
      w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
        this.busy.set(w, (this.busy.get(w) ?? 1) - 1);
        const job = this.jobs.get(m.id);
        this.jobs.delete(m.id);
        if (!job) return;
        if (m.error) job.reject(new Error(m.error));
        else job.resolve(m.result);
      });
      this.busy.set(w, 0);
      this.workers.push(w);
    }
  }

  hash(password: string): Promise<string> {
    return this.run('hash', password, this.config.bcryptRounds) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.run('compare', password, hash) as Promise<boolean>;
  }

  /** Spends the same time as a real check, for an email that has no account. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy-password-for-timing');
    await this.verify(password, await this.dummyHash);
    return false;
  }

  private run(op: 'hash' | 'compare', a: string, b: unknown): Promise<unknown> {
    const w = this.workers.reduce((x, y) =>
      (this.busy.get(x) ?? 0) <= (this.busy.get(y) ?? 0) ? x : y,
    );
    this.busy.set(w, (this.busy.get(w) ?? 0) + 1);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      w.postMessage({ id, op, a, b });
    });
  }

  /** Stops the workers; a hash still waiting fails instead of hanging its request for ever. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const job of this.jobs.values()) job.reject(new Error('password hasher stopped'));
    this.jobs.clear();
  }
}
