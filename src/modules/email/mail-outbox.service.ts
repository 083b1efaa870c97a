import { randomUUID } from 'node:crypto';

import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { Counter } from 'prom-client';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { Metrics } from '../../observability/metrics';
import { currentRequestId, withRequestId } from '../../observability/request-context';
import { OutboxMailQuery } from './dto/outbox-mail.dto';
import { OutboxMailResponse, toOutboxMailResponse } from './dto/outbox-mail.response';
import { MailOutboxRepository, OutboxBacklog } from './mail-outbox.repository';
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
/** How often sent mails older than OUTBOX_RETENTION are purged, and how many per statement. */
export const PURGE_EVERY_MS = 10 * 60_000;
export const PURGE_BATCH = 500;

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
  private purgeTimer?: NodeJS.Timeout;
  private purging?: Promise<number>;
  private readonly deliveries: Counter<'outcome'>;
  private backlogRead?: Promise<OutboxBacklog>;

  constructor(
    private readonly repo: MailOutboxRepository,
    private readonly uow: UnitOfWork,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    this.deliveries = metrics.counter({
      name: 'bibarys_mail_deliveries_total',
      help: 'Mail delivery attempts by outcome (sent; retry: failed, tried again later; failed: given up)',
      labelNames: ['outcome'],
    });
    const backlog = () => this.backlog();
    metrics.gauge({
      name: 'bibarys_mail_outbox_mails',
      help: 'Mails in the outbox still to send (pending) and given up (failed), read at scrape',
      labelNames: ['status'],
      async collect() {
        const b = await backlog();
        this.set({ status: 'pending' }, b.pending);
        this.set({ status: 'failed' }, b.failed);
      },
    });
    metrics.gauge({
      name: 'bibarys_mail_outbox_oldest_pending_seconds',
      help: 'Age of the oldest pending mail (0: none pending), read at scrape',
      async collect() {
        const b = await backlog();
        this.set(b.oldestPendingAt ? (Date.now() - b.oldestPendingAt.getTime()) / 1000 : 0);
      },
    });
  }

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
      requestId: currentRequestId() ?? null,
    });
  }

  /** GET /admin/mail: the outbox newest first, optionally one status (admins; no bodies). */
  async list(_actor: Actor, q: OutboxMailQuery): Promise<Page<OutboxMailResponse>> {
    const [rows, total] = await this.repo.page(q.status, skipOf(q), q.page_size ?? 20);
    return pageOf(rows.map(toOutboxMailResponse), total, q);
  }

  /** POST /admin/mail/{id}/retry: a failed mail is due again with a fresh set of attempts. */
  async retry(_actor: Actor, id: string): Promise<OutboxMailResponse> {
    const mail = await this.uow.run(async (tx) => {
      if (await this.repo.requeueFailed(tx, id, new Date())) return this.repo.byId(id, tx);
      const found = await this.repo.byId(id, tx);
      if (!found) throw notFound('Mail');
      throw new DomainError(
        'INVALID_TRANSITION',
        `Only a failed mail can be retried; this one is ${found.status}`,
      );
    });
    this.kick();
    return toOutboxMailResponse(mail!);
  }

  /**
   * The backlog as the metrics show it. The gauges of one scrape collect together and share one
   * read (the one in flight); a failed read leaves them at their last value instead of failing
   * the scrape.
   */
  private backlog(): Promise<OutboxBacklog> {
    this.backlogRead ??= this.repo
      .backlog()
      .then(
        (b) => (this.lastBacklog = b),
        () => this.lastBacklog,
      )
      .finally(() => (this.backlogRead = undefined));
    return this.backlogRead;
  }
  private lastBacklog: OutboxBacklog = { pending: 0, failed: 0, oldestPendingAt: null };

  /**
   * Asks the sender to look soon, without waiting for it. Kicks within KICK_MS coalesce into one
   * pass, so a burst of orders becomes one claim and one "sent" update instead of one each.
   */
  kick(): void {
    if (this.stopped || this.kickTimer) return;
    // the pass serves every request that kicked: it runs outside this one's context, and each
    // mail is sent under the id of the request that queued it
    this.kickTimer = withRequestId(null, () =>
      setTimeout(() => {
        this.kickTimer = undefined;
        void this.flush();
      }, KICK_MS),
    );
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.config.mail.pollMs);
    this.timer.unref();
    this.purgeTimer = setInterval(() => void this.purgeQuietly(), PURGE_EVERY_MS);
    this.purgeTimer.unref();
    void this.purgeQuietly();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.kickTimer) clearTimeout(this.kickTimer);
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    await this.flushing;
    await this.purging;
    await this.mailer.close();
  }

  /**
   * Deletes the mails sent more than OUTBOX_RETENTION ago, PURGE_BATCH per transaction (a short
   * write each, so checkouts do not wait behind one long delete). Returns how many went.
   * Pending and failed mails stay, whatever their age.
   */
  async purgeSent(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.mail.retentionMs);
    let purged = 0;
    for (;;) {
      const n = await this.uow.run((tx) => this.repo.purgeSent(tx, before, PURGE_BATCH));
      purged += n;
      if (n < PURGE_BATCH || this.stopped) break;
    }
    if (purged) this.logger.log(`purged ${purged} sent mails older than ${before.toISOString()}`);
    return purged;
  }

  private purgeQuietly(): Promise<number> {
    if (this.purging || this.stopped) return this.purging ?? Promise.resolve(0);
    this.purging = withRequestId(null, () => this.purgeSent())
      .catch((e: unknown) => {
        this.logger.warn(`outbox purge failed: ${(e as Error).message}`);
        return 0;
      })
      .finally(() => (this.purging = undefined));
    return this.purging;
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
        for (const mail of claimed) {
          if (await withRequestId(mail.requestId, () => this.deliver(mail))) sent.push(mail);
        }
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
      this.deliveries.inc({ outcome: 'sent' });
      this.logger.log(`mail ${m.id} (${m.kind}) sent`);
      return true;
    } catch (e) {
      const attempts = m.attempts + 1;
      const givenUp = attempts >= MAX_ATTEMPTS;
      this.deliveries.inc({ outcome: givenUp ? 'failed' : 'retry' });
      this.logger.warn(
        `mail ${m.id} to ${m.toAddress} failed (attempt ${attempts}${givenUp ? ', given up' : ''}): ${(e as Error).message}`,
      );
      await this.uow.run((tx) =>
        this.repo.markFailed(tx, m.id, m.lockedBy!, {
          status: givenUp ? 'failed' : 'pending',
          attempts,
          nextAttemptAt: new Date(Date.now() + backoffMs(attempts)),
          lastError: String((e as Error).message).slice(0, 1000),
        }),
      );
      return false;
    }
  }
}
