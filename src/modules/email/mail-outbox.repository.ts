import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In } from 'typeorm';

import { ColumnOf, insertValues, num } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import { OutboxMail, OutboxStatus } from './outbox-mail.entity';

/** A mail to queue: what the outbox row holds besides its bookkeeping. */
export interface QueuedMail {
  id: string;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string;
  kind: string;
  nextAttemptAt: Date;
  requestId: string | null;
}

/** What the metrics read on a scrape: the mails still to send and those given up. */
export interface OutboxBacklog {
  pending: number;
  failed: number;
  /** When the oldest pending mail was queued (null: none pending). */
  oldestPendingAt: Date | null;
}

/** What a failed delivery writes back. */
export interface DeliveryFailure {
  status: Extract<OutboxStatus, 'pending' | 'failed'>;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string;
}

const QUEUED_COLUMNS: ColumnOf<QueuedMail & { status: 'pending'; attempts: 0 }>[] = [
  ['id', 'id'],
  ['to_address', 'toAddress'],
  ['subject', 'subject'],
  ['text_body', 'textBody'],
  ['html_body', 'htmlBody'],
  ['kind', 'kind'],
  ['status', 'status'],
  ['attempts', 'attempts'],
  ['next_attempt_at', 'nextAttemptAt'],
  ['request_id', 'requestId'],
];

/** Every query on `mail_outbox`. */
@Injectable()
export class MailOutboxRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * Inserts a pending mail in the caller's transaction: one statement of fixed text, no query
   * building (every checkout queues one; no cache watches this table).
   */
  async insert(tx: Tx, mail: QueuedMail): Promise<void> {
    await insertValues(tx, 'mail_outbox', QUEUED_COLUMNS, [
      { ...mail, status: 'pending', attempts: 0 },
    ]);
  }

  /** Ids of up to `limit` pending mails due at `now` whose lease (if any) has run out, oldest due first. */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const due = await this.ds
      .getRepository(OutboxMail)
      .createQueryBuilder('m')
      .select(['m.id'])
      .where('m.status = :s', { s: 'pending' })
      .andWhere('m.next_attempt_at <= :now', { now })
      .andWhere(
        new Brackets((b) =>
          b.where('m.locked_until IS NULL').orWhere('m.locked_until < :now', { now }),
        ),
      )
      .orderBy('m.next_attempt_at', 'ASC')
      .limit(limit)
      .getMany();
    return due.map((d) => d.id);
  }

  /**
   * Stamps those of `ids` that are still pending and unleased with the claim `token` until
   * `until` (one conditional update); returns how many it took.
   */
  async lease(tx: Tx, ids: string[], token: string, now: Date, until: Date): Promise<number> {
    const res = await tx
      .createQueryBuilder()
      .update(OutboxMail)
      .set({ lockedBy: token, lockedUntil: until })
      .where('id IN (:...ids) AND status = :s', { ids, s: 'pending' })
      .andWhere(
        new Brackets((b) =>
          b.where('locked_until IS NULL').orWhere('locked_until < :now', { now }),
        ),
      )
      .execute();
    return res.affected ?? 0;
  }

  /** The mails among `ids` that carry the claim `token`, by primary key (locked_by has no index). */
  leasedBy(tx: Tx, ids: string[], token: string): Promise<OutboxMail[]> {
    return tx.find(OutboxMail, {
      where: { id: In(ids), lockedBy: token, status: 'pending' },
      order: { nextAttemptAt: 'ASC', id: 'ASC' },
    });
  }

  /** Marks delivered mails sent, only while the claim `token` still holds them (one update). */
  async markSent(tx: Tx, ids: string[], token: string, at: Date): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(OutboxMail)
      .set({
        status: 'sent',
        sentAt: at,
        attempts: () => 'attempts + 1',
        lockedUntil: null,
        lastError: null,
      })
      .where('id IN (:...ids) AND locked_by = :token', { ids, token })
      .execute();
  }

  /** Writes a failed delivery back and frees the lease, only while the claim `token` holds it. */
  async markFailed(tx: Tx, id: string, token: string, f: DeliveryFailure): Promise<void> {
    await tx.update(OutboxMail, { id, lockedBy: token }, { ...f, lockedUntil: null });
  }

  /** Pending and failed mails, and the oldest pending one: two statements on indexed columns. */
  async backlog(): Promise<OutboxBacklog> {
    const repo = this.ds.getRepository(OutboxMail);
    const counts = await repo
      .createQueryBuilder('m')
      .select('m.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where('m.status IN (:...s)', { s: ['pending', 'failed'] })
      .groupBy('m.status')
      .getRawMany<{ status: OutboxStatus; n: unknown }>();
    const oldest = await repo.findOne({
      select: { id: true, createdAt: true },
      where: { status: 'pending' },
      order: { createdAt: 'ASC' },
    });
    const of = (s: OutboxStatus) => num(counts.find((c) => c.status === s)?.n);
    return {
      pending: of('pending'),
      failed: of('failed'),
      oldestPendingAt: oldest?.createdAt ?? null,
    };
  }

  /** A page of mails, newest first, optionally of one status. */
  page(
    status: OutboxStatus | undefined,
    skip: number,
    take: number,
  ): Promise<[OutboxMail[], number]> {
    return this.ds.getRepository(OutboxMail).findAndCount({
      where: status ? { status } : {},
      order: { createdAt: 'DESC', id: 'DESC' },
      skip,
      take,
    });
  }

  byId(id: string, tx?: Tx): Promise<OutboxMail | null> {
    return (tx ?? this.ds.manager).findOne(OutboxMail, { where: { id } });
  }

  /** A failed mail back to pending, due now, with a fresh count of attempts; false if not failed. */
  async requeueFailed(tx: Tx, id: string, now: Date): Promise<boolean> {
    const res = await tx.update(
      OutboxMail,
      { id, status: 'failed' },
      { status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, lockedBy: null },
    );
    return (res.affected ?? 0) === 1;
  }

  /** Deletes up to `limit` mails sent before `before` (one statement); returns how many. */
  async purgeSent(tx: Tx, before: Date, limit: number): Promise<number> {
    const ids = await tx
      .createQueryBuilder(OutboxMail, 'm')
      .select('m.id', 'id')
      .where('m.status = :s', { s: 'sent' })
      .andWhere('m.sent_at < :before', { before })
      .orderBy('m.sent_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (!ids.length) return 0;
    await tx.delete(OutboxMail, { id: In(ids.map((r) => r.id)) });
    return ids.length;
  }
}
