import { Inject, Injectable } from '@nestjs/common';

import type { Actor } from '../../common/auth/actor';
import { DomainError, notFound } from '../../common/errors/domain-error';
import { toTiyn } from '../../common/money/money';
import { Page, pageOf, skipOf } from '../../common/pagination/pagination';
import { zoneOrRefuse } from '../../common/time/time-zone';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import type { Tx } from '../../database/unit-of-work';
import { UnitOfWork } from '../../database/unit-of-work';
import { BalanceCache } from './balance-cache';
import { AdjustmentDto, LedgerQuery } from './dto/ledger.dto';
import { SellerLedgerEntry } from './finance.entities';
import { FinanceClock } from './finance-clock';
import { LedgerRepository } from './ledger.repository';
import { ledgerId } from './ledger-id';
import {
  Balance,
  balanceOf,
  CsvChunks,
  LedgerType,
  monthRange,
  Statement,
  STATEMENT_CSV_HEADER,
  statementCsvLine,
  statementOf,
} from './money-rules';
import { PayoutRecipients } from './payout-recipients';

/** An entry to append. `amount` is signed integer tiyn; `availableAt` defaults to now. */
export interface LedgerEntryInput {
  sellerId: string;
  type: LedgerType;
  amount: number;
  orderId?: string;
  fulfillmentId?: string;
  returnId?: string;
  payoutId?: string;
  note?: string;
  availableAt?: Date;
}

export const DEFAULT_TZ = 'Asia/Almaty';
const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const ZERO: Balance = {
  pending: 0,
  available: 0,
  paidOut: 0,
  lifetimeSales: 0,
  lifetimeCommission: 0,
};

/**
 * The half-open UTC window of `from` / `to` query values: a date means its whole day (UTC), an
 * instant itself (`to` inclusive). `from` after `to` → 400.
 */
export function dateWindow(fromQ?: string, toQ?: string): { from?: Date; to?: Date } {
  const from = fromQ ? new Date(DATE_ONLY.test(fromQ) ? `${fromQ}T00:00:00Z` : fromQ) : undefined;
  let to: Date | undefined;
  if (toQ) {
    to = DATE_ONLY.test(toQ)
      ? new Date(new Date(`${toQ}T00:00:00Z`).getTime() + DAY_MS)
      : new Date(new Date(toQ).getTime() + 1);
  }
  if (from && to && from.getTime() >= to.getTime()) {
    throw new DomainError('BAD_REQUEST', 'from must not be after to');
  }
  return { from, to };
}

/**
 * A seller's money: the append-only ledger, the balance read from its summary, pages, monthly
 * statements and an admin's adjustments. `record` is what every other money event calls (sale,
 * commission, refund, payout …), inside the transaction of that event.
 */
@Injectable()
export class SellerLedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly recipients: PayoutRecipients,
    private readonly uow: UnitOfWork,
    private readonly clock: FinanceClock,
    private readonly balances: BalanceCache,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Appends entries and adds them to the sellers' summaries in the caller's transaction. Every
   * amount must be a non-zero integer (tiyn); entries share one creation time.
   */
  async record(tx: Tx, entries: LedgerEntryInput[]): Promise<SellerLedgerEntry[]> {
    const rows = this.rowsOf(entries);
    await this.ledger.append(tx, rows);
    return rows;
  }

  /**
   * Like `record`, for entries a unique index allows once (a fulfillment's sale and commission,
   * its refund, a return's pair): those already written — by a racing request or an earlier
   * call — are skipped, not an error. Answers the entries this call wrote.
   */
  recordOnce(tx: Tx, entries: LedgerEntryInput[]): Promise<SellerLedgerEntry[]> {
    return this.ledger.appendOnce(tx, this.rowsOf(entries));
  }

  private rowsOf(entries: LedgerEntryInput[]): SellerLedgerEntry[] {
    const now = this.clock.now();
    return entries.map((e): SellerLedgerEntry => {
      if (!Number.isSafeInteger(e.amount) || e.amount === 0) {
        throw new Error(`a ledger amount must be a non-zero integer of tiyn, got ${e.amount}`);
      }
      return {
        id: ledgerId(),
        sellerId: e.sellerId,
        type: e.type,
        amount: e.amount,
        orderId: e.orderId ?? null,
        fulfillmentId: e.fulfillmentId ?? null,
        returnId: e.returnId ?? null,
        payoutId: e.payoutId ?? null,
        note: e.note ?? null,
        availableAt: e.availableAt ?? now,
        createdAt: now,
      };
    });
  }

  /** The own balance: from memory (BalanceCache), else one statement (summary plus on hold). */
  async balance(actor: Actor): Promise<Balance> {
    return this.balanceOf(actor.id);
  }

  /** `balance` from memory only: undefined when the seller's totals must be read. */
  balanceInMemory(actor: Actor): Balance | undefined {
    const t = this.balances.peek(actor.id);
    return t && balanceOf(t, t.pending);
  }

  async balanceForAdmin(sellerId: string): Promise<Balance> {
    await this.mustExist(sellerId);
    return this.balanceOf(sellerId);
  }

  private async balanceOf(sellerId: string): Promise<Balance> {
    const t = await this.balances.get(sellerId);
    return t ? balanceOf(t, t.pending) : ZERO;
  }

  ledgerOf(actor: Actor, q: LedgerQuery): Promise<Page<SellerLedgerEntry>> {
    return this.page(actor.id, q);
  }

  async ledgerForAdmin(sellerId: string, q: LedgerQuery): Promise<Page<SellerLedgerEntry>> {
    await this.mustExist(sellerId);
    return this.page(sellerId, q);
  }

  private async page(sellerId: string, q: LedgerQuery): Promise<Page<SellerLedgerEntry>> {
    const { from, to } = dateWindow(q.from, q.to);
    const [items, total] = await this.ledger.page({
      sellerId,
      from,
      to,
      type: q.type,
      skip: skipOf(q),
      take: q.page_size ?? 20,
    });
    return pageOf(items, total, q);
  }

  /** The month's statement (boundaries at local midnight in `tz`). */
  async statement(actor: Actor, month: string, tz = DEFAULT_TZ): Promise<Statement> {
    const range = this.month(month, tz);
    const { opening, sums } = await this.ledger.monthSums(actor.id, range.from, range.to);
    return statementOf(month, opening, sums, this.config.finance.vatPercent);
  }

  /** The month's entries as CSV, oldest first, as a few UTF-8 chunks (CsvChunks). */
  async statementCsv(actor: Actor, month: string, tz = DEFAULT_TZ): Promise<Buffer[]> {
    const range = this.month(month, tz);
    const csv = new CsvChunks(STATEMENT_CSV_HEADER);
    await this.ledger.eachStatementLine(actor.id, range.from, range.to, (l) =>
      csv.add(statementCsvLine(l)),
    );
    return csv.end();
  }

  /** An admin's correction of a seller's balance: an `adjustment` entry, available at once. */
  async adjust(_actor: Actor, sellerId: string, dto: AdjustmentDto): Promise<SellerLedgerEntry> {
    await this.mustExist(sellerId);
    const note = dto.note.trim();
    if (!note) {
      throw new DomainError('BAD_REQUEST', 'note must not be blank', {
        errors: [{ field: 'note', code: 'required', message: 'note must not be blank' }],
      });
    }
    const [entry] = await this.uow.run((tx) =>
      this.record(tx, [{ sellerId, type: 'adjustment', amount: toTiyn(dto.amount), note }]),
    );
    return entry;
  }

  private month(month: string, tz: string) {
    zoneOrRefuse(tz);
    const range = monthRange(month, tz);
    if (!range) throw new DomainError('BAD_REQUEST', 'The month must be written yyyy-mm');
    return range;
  }

  private async mustExist(sellerId: string): Promise<void> {
    const [r] = await this.recipients.recipientsOf([sellerId]);
    if (!r) throw notFound('Seller');
  }
}
