import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { PeriodicPass } from '../../common/concurrency/periodic-pass';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { withRequestId } from '../../observability/request-context';
import { AccountTokensRepository } from './account-tokens.repository';
import { SessionsRepository } from './sessions.repository';

/** How long an ended or expired session, and a used or expired link, is kept (then deleted). */
export const ACCOUNT_RECORDS_RETENTION_MS = 30 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;
/** Rows per transaction: short writes, so checkouts do not wait behind one long delete. */
const PURGE_BATCH = 500;

/**
 * Every login adds a session and every refresh a refresh token, every reset or verification
 * request a link: without this the three tables only grow. Once an hour (and at start) it deletes
 * what ended, expired or was used more than 30 days ago, in small batches; what still works is
 * never touched. A failed pass is logged and tried again at the next hour.
 */
@Injectable()
export class AccountsPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AccountsPurge.name);
  private readonly periodic = new PeriodicPass(
    'account purge',
    () => withRequestId(null, () => this.purge()),
    this.logger,
  );

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly links: AccountTokensRepository,
    private readonly uow: UnitOfWork,
  ) {}

  onApplicationBootstrap(): void {
    this.periodic.start(PURGE_EVERY_MS, { now: true });
  }

  onApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass: answers how many sessions and links went. */
  async purge(now = new Date()): Promise<{ sessions: number; links: number }> {
    const before = new Date(now.getTime() - ACCOUNT_RECORDS_RETENTION_MS);
    const sessions = await this.batches((tx) => this.sessions.purgeEnded(tx, before, PURGE_BATCH));
    const links = await this.batches((tx) => this.links.purgeSpent(tx, before, PURGE_BATCH));
    if (sessions || links) {
      this.logger.log(
        `purged ${sessions} sessions and ${links} links ended before ${before.toISOString()}`,
      );
    }
    return { sessions, links };
  }

  private async batches(one: (tx: Tx) => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.uow.run(one);
      total += n;
      if (n < PURGE_BATCH || this.periodic.stopped) return total;
    }
  }
}
