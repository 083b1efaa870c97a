import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';

import { PeriodicPass } from '../../common/concurrency/periodic-pass';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { UnitOfWork } from '../../database/unit-of-work';
import { ReturnRefundService } from './return-refund.service';
import { ReturnSteps } from './return-steps';
import { ReturnsRepository } from './returns.repository';

const BATCH = 50;

/**
 * The returns' background work, on a timer started with the module (every RETURN_SWEEP_MS, at
 * most a minute) and stopped with it:
 * - escalation: every return still `requested` RETURN_RESPONSE_TIME after it was made becomes
 *   `escalated` (an admin decides it now), its buyer is told;
 * - refund recovery: a `failed` refund that is due again, or a `pending` claim older than any
 *   provider call could take (a crash cut it short), is claimed again and paid.
 * Every change is a conditional update, so several processes sweeping at once change each return
 * once. The time comes from the injected Clock.
 */
@Injectable()
export class ReturnSweeper implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ReturnSweeper');
  private readonly periodic = new PeriodicPass(
    'returns sweep',
    async () => {
      await this.escalateDue();
      await this.retryRefunds();
    },
    this.logger,
  );

  constructor(
    private readonly repo: ReturnsRepository,
    private readonly steps: ReturnSteps,
    private readonly refunds: ReturnRefundService,
    private readonly uow: UnitOfWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.periodic.start(this.config.returns.sweepMs);
  }

  onModuleDestroy(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass of both sweeps; overlapping calls share the pass. */
  sweep(): Promise<void> {
    return this.periodic.run();
  }

  /** Escalates every return left `requested` for RETURN_RESPONSE_TIME; returns how many. */
  async escalateDue(): Promise<number> {
    let moved = 0;
    for (;;) {
      const now = this.steps.now();
      const cutoff = new Date(now.getTime() - this.config.returns.responseTimeMs);
      const ids = await this.repo.requestedBefore(cutoff, BATCH);
      if (!ids.length) return moved;
      let batch = 0;
      await this.uow.run(async (tx) => {
        for (const id of ids) {
          const ret = await this.repo.findById(id, tx);
          if (!ret || ret.status !== 'requested') continue;
          const done = await this.steps.tryMove(tx, ret, 'escalated', null, {
            note: 'no decision in time',
            change: { escalatedAt: now },
          });
          if (!done) continue;
          await this.steps.mail(tx, done.buyerId, 'escalated', done);
          batch++;
        }
      });
      moved += batch;
      if (batch) this.steps.kick();
      if (ids.length < BATCH || this.periodic.stopped || !batch) return moved;
    }
  }

  /** Retries the unfinished refunds that are due; returns how many were tried. */
  async retryRefunds(): Promise<number> {
    const now = this.steps.now();
    const stale = new Date(now.getTime() - this.config.payments.timeoutMs - 2000);
    const due = await this.repo.refundsDue(now, stale, BATCH);
    for (const ret of due) {
      if (this.periodic.stopped) break;
      try {
        await this.refunds.retry(ret);
      } catch (e) {
        this.logger.warn(`refund retry of return ${ret.id} failed: ${(e as Error).message}`);
      }
    }
    return due.length;
  }
}
