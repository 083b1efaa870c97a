import { randomUUID } from 'node:crypto';

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxRepository } from './mail-outbox.repository';
import { Mail, Mailer } from './mailer';
import type { OutboxMail } from './outbox-mail.entity';

/** How long a claim holds its mails before another sender may take them. */
export const LOCK_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** After this many failed deliveries a mail is given up (`failed`). */
export const MAX_ATTEMPTS = 100;
/** Mails claimed per pass. */
export const BATCH = 20;
const KICK_MS = 20;

export const backoffMs = (attempts: number) =>
  Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));

/**
 * The transactional outbox: a mail is a row written in the same transaction as its cause; a
 * background sender claims due rows (a conditional update, so with several processes each mail is
 * claimed once), sends them outside any transaction and retries failures with exponential backoff.
 */
@Injectable()
export class MailOutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailOutbox');
  private readonly workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private kickTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private again = false;
  private stopped = false;
  private claims = 0;

  constructor(
    private readonly repo: MailOutboxRepository,
    private readonly uow: UnitOfWork,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues a mail inside the caller's transaction. Call kick() after the commit. */
  async enqueue(tx: Tx, mail: Mail, kind: string): Promise<void> {
    await this.repo.insert(tx, {
      id: randomUUID(),
      toAddress: mail.to,
      subject: mail.subject.slice(0, 300),
      textBody: mail.text,
      htmlBody: mail.html,
      kind,
      nextAttemptAt: new Date(),
    });
  }

  /**
   * Asks the sender to look soon, without waiting for it. Kicks within KICK_MS coalesce into one
   * pass, so a burst of orders becomes one claim and one "sent" update instead of one each.
   */
  kick(): void {
    if (this.stopped || this.kickTimer) return;
    this.kickTimer = setTimeout(() => {
      this.kickTimer = undefined;
      void this.flush();
    }, KICK_MS);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.mail.pollMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    await this.flushing;
    await this.mailer.close();
  }

  /** Sends every due mail; concurrent calls coalesce into one pass plus one more. */
  flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    this.flushing = this.drain()
      .catch((e) => this.logger.warn(`outbox pass failed: ${(e as Error).message}`))
      .finally(() => {
        this.flushing = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.flush();
        }
      });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const claimed = await this.claim();
      if (!claimed.length) return;
      const sent: OutboxMail[] = [];
      try {
        for (const mail of claimed) if (await this.deliver(mail)) sent.push(mail);
      } finally {
        await this.markSent(sent);
      }
      if (claimed.length < BATCH) return;
    }
  }

  /**
   * Claims up to BATCH due mails with one conditional update stamped with a fresh claim token
   * (in `locked_by`), then reads back exactly the rows that carry it: another process may have
   * claimed some of them first.
   */
  private async claim(): Promise<OutboxMail[]> {
    const now = new Date();
    const ids = await this.repo.dueIds(now, BATCH);
    if (!ids.length) return [];
    const token = `${this.workerId}-${++this.claims}`;
    const until = new Date(now.getTime() + LOCK_MS);
    return this.uow.run(async (tx) => {
      if (!(await this.repo.lease(tx, ids, token, now, until))) return [];
      return this.repo.leasedBy(tx, ids, token);
    });
  }

  /** One update for a batch of delivered mails, only while this claim still holds them. */
  private async markSent(mails: OutboxMail[]): Promise<void> {
    if (!mails.length) return;
    const ids = mails.map((m) => m.id);
    await this.uow.run((tx) => this.repo.markSent(tx, ids, mails[0].lockedBy!, new Date()));
  }

  /** Sends one claimed mail; a failure is written back at once with its backoff. */
  private async deliver(m: OutboxMail): Promise<boolean> {
    try {
      await this.mailer.send({
        to: m.toAddress,
        subject: m.subject,
        text: m.textBody,
        html: m.htmlBody,
      });
      return true;
    } catch (e) {
      const attempts = m.attempts + 1;
      this.logger.warn(
        `mail ${m.id} to ${m.toAddress} failed (attempt ${attempts}): ${(e as Error).message}`,
      );
      await this.uow.run((tx) =>
        this.repo.markFailed(tx, m.id, m.lockedBy!, {
          status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
          attempts,
          nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
          lastError: String((e as Error).message).slice(0, 1000),
        }),
      );
      return false;
    }
  }
}
