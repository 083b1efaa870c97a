import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { toTiyn } from '../../common/money/money';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { MailOutboxService } from '../email/mail-outbox.service';
import { CreatePayoutsDto, PayoutListQuery, SellerPayoutQuery } from './dto/payout.dto';
import { Payout, PayoutBatch } from './finance.entities';
import { FinanceClock } from './finance-clock';
import { payoutPaidMail } from './finance-mails';
import { LedgerRepository } from './ledger.repository';
import { payoutDecision, payoutPurpose, registerCsv, SkipReason } from './money-rules';
import { PayoutRepository } from './payout.repository';
import { PayoutProvider, PayoutResult } from './payout-provider';
import { PayoutRecipient, PayoutRecipients } from './payout-recipients';
import { DEFAULT_TZ, SellerLedgerService } from './seller-ledger.service';

export const DEFAULT_MIN_PAYOUT_KZT = 1000;

export interface BatchOutcome {
  batchId: string;
  payouts: Payout[];
  skipped: { sellerId: string; reason: SkipReason }[];
}

type PayableRecipient = PayoutRecipient & Record<'binIin' | 'iban' | 'bik' | 'kbe', string>;

/** A recipient whose shop may be paid: approved, with every bank detail filled in. */
const payable = (r: PayoutRecipient | undefined): PayableRecipient | null =>
  r && r.approved && r.binIin && r.iban && r.bik && r.kbe ? (r as PayableRecipient) : null;

/**
 * Payouts: a batch pays every chosen seller's available balance (approved shops only, at least
 * `min_amount`), copying the bank details and writing the `payout` entry in one transaction that
 * holds the sellers' summary rows locked — a second batch made at the same moment waits and then
 * finds nothing left. The batch is then handed to the `PayoutProvider`.
 */
@Injectable()
export class PayoutsService {
  private readonly logger = new Logger('Payouts');

  constructor(
    private readonly payouts: PayoutRepository,
    private readonly ledgerRows: LedgerRepository,
    private readonly ledger: SellerLedgerService,
    private readonly recipients: PayoutRecipients,
    private readonly provider: PayoutProvider,
    private readonly outbox: MailOutboxService,
    private readonly uow: UnitOfWork,
    private readonly clock: FinanceClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createBatch(actor: Actor, dto: CreatePayoutsDto): Promise<BatchOutcome> {
    const minAmount = toTiyn(dto.min_amount ?? DEFAULT_MIN_PAYOUT_KZT);
    const requested = dto.seller_ids ? [...new Set(dto.seller_ids)] : undefined;
    const outcome = await this.uow.run((tx) => this.makeBatch(tx, actor, requested, minAmount));
    if (outcome.payouts.length) await this.send(outcome.payouts);
    return outcome;
  }

  private async makeBatch(
    tx: Tx,
    actor: Actor,
    requested: string[] | undefined,
    minAmount: number,
  ): Promise<BatchOutcome> {
    const locked = await this.ledgerRows.lockSellers(tx, requested);
    // read the clock once the rows are ours: every entry committed before is older than `now`
    const now = this.clock.now();
    const totals = await this.ledgerRows.totalsOf(locked, now, tx);
    const who = new Map(
      (await this.recipients.recipientsOf(locked, tx)).map((r) => [r.sellerId, r]),
    );
    const batchId = randomUUID();
    const payouts: Payout[] = [];
    const skipped: BatchOutcome['skipped'] = [];
    const decided = new Set<string>();
    for (const t of totals) {
      decided.add(t.sellerId);
      const to = payable(who.get(t.sellerId));
      const d = payoutDecision(t.total - t.pending, to !== null, minAmount);
      if ('skip' in d) skipped.push({ sellerId: t.sellerId, reason: d.skip });
      else if (to) payouts.push(this.payoutRow(batchId, to, d.pay, now));
    }
    for (const id of requested ?? []) {
      if (!decided.has(id)) skipped.push({ sellerId: id, reason: 'NOTHING_AVAILABLE' });
    }
    const last = await this.payouts.lastPaidOut(
      tx,
      payouts.map((p) => p.sellerId),
    );
    for (const p of payouts) {
      p.purpose = payoutPurpose(p.shopName, last.get(p.sellerId) ?? null, now, DEFAULT_TZ).slice(
        0,
        200,
      );
    }
    const batch: PayoutBatch = {
      id: batchId,
      createdBy: actor.id,
      payoutCount: payouts.length,
      totalAmount: payouts.reduce((s, p) => s + p.amount, 0),
      minAmount,
      provider: this.provider.name,
      createdAt: now,
    };
    await this.payouts.insertBatch(tx, batch, payouts);
    await this.ledger.record(
      tx,
      payouts.map((p) => ({
        sellerId: p.sellerId,
        type: 'payout',
        amount: -p.amount,
        payoutId: p.id,
      })),
    );
    return { batchId, payouts, skipped };
  }

  private payoutRow(batchId: string, r: PayableRecipient, amount: number, now: Date): Payout {
    return {
      id: randomUUID(),
      batchId,
      sellerId: r.sellerId,
      amount,
      status: 'pending',
      shopName: r.shopName.slice(0, 200),
      binIin: r.binIin,
      iban: r.iban,
      bik: r.bik,
      kbe: r.kbe,
      email: r.email,
      purpose: '',
      bankReference: null,
      failureReason: null,
      createdAt: now,
      paidAt: null,
      failedAt: null,
    };
  }

  /** Hands the payouts to the provider after the commit and applies what it answers. */
  private async send(payouts: Payout[]): Promise<void> {
    let results: PayoutResult[];
    try {
      results = await this.provider.send(
        payouts.map((p) => ({
          payoutId: p.id,
          amount: p.amount,
          currency: 'KZT',
          recipient: p.shopName,
          binIin: p.binIin,
          iban: p.iban,
          bik: p.bik,
          kbe: p.kbe,
          knp: this.config.finance.payoutKnp,
          purpose: p.purpose,
        })),
      );
    } catch (e) {
      // the payouts stay pending: an admin settles them from the bank's statement
      this.logger.error(`payout provider ${this.provider.name} failed: ${(e as Error).message}`);
      return;
    }
    const byId = new Map(payouts.map((p) => [p.id, p]));
    for (const r of results) {
      const p = byId.get(r.payoutId);
      if (!p) continue;
      if (r.status === 'paid') {
        Object.assign(p, await this.settlePaid(p.id, r.bankReference ?? p.id));
      } else if (r.status === 'failed') {
        Object.assign(p, await this.settleFailed(p.id, r.failureReason ?? 'rejected by the bank'));
      }
    }
  }

  list(q: PayoutListQuery): Promise<Page<Payout>> {
    return this.page(q, { status: q.status, sellerId: q.seller_id, batchId: q.batch_id });
  }

  listOwn(actor: Actor, q: SellerPayoutQuery): Promise<Page<Payout>> {
    return this.page(q, { status: q.status, sellerId: actor.id });
  }

  private async page(
    q: { page?: number; page_size?: number },
    f: { status?: Payout['status']; sellerId?: string; batchId?: string },
  ): Promise<Page<Payout>> {
    const [items, total] = await this.payouts.page({
      ...f,
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(items, total, q);
  }

  /** The bank register of a batch (payouts that have not failed). */
  async register(batchId: string): Promise<string> {
    if (!(await this.payouts.batchExists(batchId))) throw notFound('Payout batch');
    const rows = (await this.payouts.ofBatch(batchId)).filter((p) => p.status !== 'failed');
    return registerCsv(
      rows.map((p) => ({ ...p, recipient: p.shopName })),
      this.config.finance.payoutKnp,
    );
  }

  markPaid(_actor: Actor, id: string, bankReference: string): Promise<Payout> {
    return this.settlePaid(id, bankReference.trim());
  }

  markFailed(_actor: Actor, id: string, reason: string): Promise<Payout> {
    return this.settleFailed(id, reason.trim());
  }

  private async settlePaid(id: string, bankReference: string): Promise<Payout> {
    const payout = await this.uow.run(async (tx) => {
      const at = this.clock.now();
      const p = await this.pendingPayout(tx, id, { status: 'paid', bankReference, at });
      const r = (await this.recipients.recipientsOf([p.sellerId], tx))[0];
      await this.outbox.enqueue(
        tx,
        payoutPaidMail(p.email, r?.firstName ?? p.shopName, {
          amount: p.amount,
          iban: p.iban,
          bankReference,
        }),
        'payout_paid',
      );
      return p;
    });
    this.outbox.kick();
    return payout;
  }

  private settleFailed(id: string, failureReason: string): Promise<Payout> {
    return this.uow.run(async (tx) => {
      const at = this.clock.now();
      const p = await this.pendingPayout(tx, id, { status: 'failed', failureReason, at });
      await this.ledger.record(tx, [
        {
          sellerId: p.sellerId,
          type: 'payout_reversal',
          amount: p.amount,
          payoutId: p.id,
          note: failureReason,
        },
      ]);
      return p;
    });
  }

  /** Moves a pending payout on (conditional update) and reads it back; 404 / 409 otherwise. */
  private async pendingPayout(
    tx: Tx,
    id: string,
    to: Parameters<PayoutRepository['settle']>[2],
  ): Promise<Payout> {
    const moved = await this.payouts.settle(tx, id, to);
    const p = await this.payouts.byId(id, tx);
    if (!p) throw notFound('Payout');
    if (!moved) {
      throw new DomainError('PAYOUT_NOT_PENDING', `The payout is ${p.status}, not pending`);
    }
    return p;
  }
}
