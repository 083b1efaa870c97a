import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';

import { DomainError } from '../../common/errors/domain-error';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { Metrics } from '../../observability/metrics';
import { BcryptWorkerPool } from './bcrypt-workers';
import { hashSlots, TrafficWatch } from './hash-share';

/** bcrypt's primitive operations, as the native `bcrypt` package offers them (a seam for tests). */
export interface BcryptBinding {
  hash(password: string, rounds: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
}
/** Injection token of a BcryptBinding other than the native package (tests only). */
export const BCRYPT_BINDING = Symbol('BCRYPT_BINDING');

/**
 * bcrypt (the native `bcrypt` package, cost BCRYPT_ROUNDS, at least 10): each hash runs on a hash
 * thread of its own (BcryptWorkerPool: at SCHED_IDLE with PASSWORD_HASH_IDLE, at nice
 * PASSWORD_HASH_NICE), never on the event loop. At most `PASSWORD_HASH_CONCURRENCY` run at once
 * (by default one per core) while hashing is all the server does, and
 * `PASSWORD_HASH_YIELD_CORES` fewer (at least one) while it answers other requests too
 * (TrafficWatch, hash-share.ts), so that a login storm leaves the listings a core. At most
 * `PASSWORD_HASH_QUEUE` wait for a turn; past that the request is refused at once with 503
 * PASSWORD_HASH_BUSY and Retry-After, instead of piling up behind a login storm. Verifies
 * `$2a$`/`$2b$`/`$2y$` hashes of any cost, so the hashes bcryptjs wrote keep working.
 */
@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private dummyHash?: Promise<string>;
  private readonly rounds: number;
  private readonly concurrency: number;
  private readonly yieldCores: number;
  private readonly queue: number;
  private readonly traffic?: TrafficWatch;
  private readonly binding: BcryptBinding;
  private readonly threads?: BcryptWorkerPool;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(BCRYPT_BINDING) binding?: BcryptBinding,
    /** Every HTTP answer (Metrics): without it, hashes always use every slot. */
    @Optional() answers?: Metrics,
  ) {
    this.rounds = config.bcryptRounds;
    this.concurrency = config.passwordHash.concurrency;
    this.yieldCores = config.passwordHash.yieldCores;
    if (answers && this.yieldCores > 0 && this.concurrency > 1) {
      this.traffic = new TrafficWatch(answers, () => this.startWaiting());
    }
    this.queue = config.passwordHash.queue;
    if (!binding) {
      const { nice, idle } = config.passwordHash;
      this.threads = new BcryptWorkerPool(this.concurrency, nice, idle);
      const rescues = answers?.counter({
        name: 'bibarys_password_hash_rescues_total',
        help: 'Hashes run again at the normal policy after waiting past their rescue time at SCHED_IDLE',
      });
      if (rescues) this.threads.onRescue = () => rescues.inc();
    }
    this.binding = binding ?? this.threads!;
  }

  hash(password: string): Promise<string> {
    return this.run(() => this.binding.hash(password, this.rounds));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.run(() => this.binding.compare(password, hash));
  }

  /** Spends the same time as a real check, for an email that has no account. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy-password-for-timing');
    await this.verify(password, await this.dummyHash);
    return false;
  }

  async onModuleDestroy(): Promise<void> {
    this.traffic?.stop();
    await this.threads?.close();
  }

  /** Hashes running and waiting now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  /** Hashes that may run at once now: every slot, or fewer while other requests are served. */
  get slots(): number {
    return hashSlots(this.concurrency, this.yieldCores, this.traffic?.othersServed ?? false);
  }

  private async run<T>(op: () => Promise<T>): Promise<T> {
    this.traffic?.hashAsked();
    if (this.running >= this.slots || this.waiting.length > 0) {
      if (this.waiting.length >= this.queue) {
        throw new DomainError(
          'PASSWORD_HASH_BUSY',
          'Too many sign-ins at once; try again in a moment',
          undefined,
          1,
        );
      }
      // started by startWaiting, which counts it as running
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await op();
    } finally {
      this.running--;
      this.startWaiting();
    }
  }

  /** Starts waiting hashes, in order, while slots are free (after a hash, or more slots). */
  private startWaiting(): void {
    while (this.running < this.slots && this.waiting.length > 0) {
      this.running++;
      this.waiting.shift()!();
    }
  }
}
