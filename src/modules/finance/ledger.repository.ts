import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { EntityVersion } from '../../database/entity-version';
import {
  chunks,
  ColumnOf,
  insertSql,
  insertValues,
  num,
  rows,
  sqlDate,
  sqlTime,
} from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import { SellerBalance, SellerLedgerEntry } from './finance.entities';
import { BalanceTotals, LedgerType, StatementLine, totalsOf } from './money-rules';

export interface SellerTotals extends BalanceTotals {
  sellerId: string;
  /** Σ of the entries with available_at > now. */
  pending: number;
}

/** The better-sqlite3 connection, for the one read that bypasses TypeORM (eachStatementLine). */
interface SqliteRaw {
  prepare(sql: string): { raw(on: boolean): { iterate(...params: unknown[]): Iterable<unknown> } };
}

export interface HeldTotals extends SellerTotals {
  /** When the first entry still on hold becomes available (null: none is on hold). */
  nextRelease: Date | null;
}

export interface LedgerFilter {
  sellerId: string;
  from?: Date;
  to?: Date;
  type?: LedgerType;
  skip: number;
  take: number;
}

/** Sellers per lookup statement (`IN (…)`): far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * Entries and summaries per statement where the text is fixed (`insertValues`): prepared once
 * and reused, so a 10,000-seller payout batch builds no query per chunk and holds no big statement.
 */
const WRITE_CHUNK = 100;

export const ENTRY_COLUMNS: ColumnOf<SellerLedgerEntry>[] = [
  ['id', 'id'],
  ['seller_id', 'sellerId'],
  ['type', 'type'],
  ['amount', 'amount'],
  ['order_id', 'orderId'],
  ['fulfillment_id', 'fulfillmentId'],
  ['return_id', 'returnId'],
  ['payout_id', 'payoutId'],
  ['note', 'note'],
  ['available_at', 'availableAt'],
  ['created_at', 'createdAt'],
];

const SUMMARY_COLUMNS = [
  'seller_id',
  'total',
  'paid_out',
  'lifetime_sales',
  'lifetime_commission',
  'entry_count',
  'updated_at',
];

/** Adds `rows` deltas to their sellers' summaries (a summary row is made on a first entry). */
const addToSummariesSql = (pg: boolean, rows: number) =>
  `${insertSql(pg, 'seller_balances', SUMMARY_COLUMNS, rows)}
   ON CONFLICT (seller_id) DO UPDATE SET
     total = seller_balances.total + excluded.total,
     paid_out = seller_balances.paid_out + excluded.paid_out,
     lifetime_sales = seller_balances.lifetime_sales + excluded.lifetime_sales,
     lifetime_commission = seller_balances.lifetime_commission + excluded.lifetime_commission,
     entry_count = seller_balances.entry_count + excluded.entry_count,
     updated_at = excluded.updated_at`;

/**
 * The seller ledger and its per-seller summary. `append` is the only write: it inserts the entries
 * and adds them to `seller_balances` in the caller's transaction, so the summary and the entries
 * can never disagree. The entries themselves refuse UPDATE and DELETE (database triggers).
 */
@Injectable()
export class LedgerRepository {
  /** The summaries' version: they are written by SQL here, so each write reports itself. */
  private readonly summaries: EntityVersion<SellerBalance>;

  constructor(@InjectDataSource() private readonly ds: DataSource) {
    this.summaries = new EntityVersion(ds, SellerBalance);
  }

  /** The version of `seller_balances`, for a cache of balances (BalanceCache). */
  watchSummaries(): EntityVersion<SellerBalance> {
    return this.summaries;
  }

  private get pg(): boolean {
    return this.ds.options.type === 'postgres';
  }

  async append(tx: Tx, entries: SellerLedgerEntry[]): Promise<void> {
    if (!entries.length) return;
    for (const part of chunks(entries, WRITE_CHUNK)) {
      await insertValues(tx, 'seller_ledger_entries', ENTRY_COLUMNS, part);
    }
    await this.addToSummaries(tx, entries);
  }

  /**
   * Appends the entries that are not there yet: an entry that a unique index already holds (the
   * sale of a fulfillment, a return's refund …) is skipped (`ON CONFLICT DO NOTHING`, which
   * waits for a racing writer's commit on PostgreSQL instead of failing the transaction). Only
   * the entries written are added to the summaries, and answered.
   */
  async appendOnce(tx: Tx, entries: SellerLedgerEntry[]): Promise<SellerLedgerEntry[]> {
    if (!entries.length) return [];
    const params: Record<string, unknown> = {};
    const values = entries.map((e, i) => {
      const cols = {
        id: e.id,
        seller_id: e.sellerId,
        type: e.type,
        amount: e.amount,
        order_id: e.orderId,
        fulfillment_id: e.fulfillmentId,
        return_id: e.returnId,
        payout_id: e.payoutId,
        note: e.note,
        available_at: sqlTime(this.pg, e.availableAt),
        created_at: sqlTime(this.pg, e.createdAt),
      };
      return `(${Object.entries(cols)
        .map(([k, v]) => {
          params[`${k}${i}`] = v;
          return `:${k}${i}`;
        })
        .join(', ')})`;
    });
    const written = await rows<{ id: string }>(
      this.ds,
      tx,
      `INSERT INTO seller_ledger_entries
         (id, seller_id, type, amount, order_id, fulfillment_id, return_id, payout_id, note,
          available_at, created_at)
       VALUES ${values.join(', ')}
       ON CONFLICT DO NOTHING RETURNING id`,
      params,
    );
    const ids = new Set(written.map((r) => String(r.id)));
    const kept = entries.filter((e) => ids.has(e.id));
    if (kept.length) await this.addToSummaries(tx, kept);
    return kept;
  }

  /** Σ per type of every seller's entries created within [from, to) (all time without them). */
  async sumsByType(from?: Date, to?: Date): Promise<Partial<Record<LedgerType, number>>> {
    const w = [from && 'created_at >= :from', to && 'created_at < :to'].filter(Boolean);
    const found = await rows<{ type: LedgerType; s: unknown }>(
      this.ds,
      this.ds.manager,
      `SELECT type, SUM(amount) AS s FROM seller_ledger_entries
        ${w.length ? `WHERE ${w.join(' AND ')}` : ''} GROUP BY type`,
      { from: from && sqlTime(this.pg, from), to: to && sqlTime(this.pg, to) },
    );
    return Object.fromEntries(found.map((r) => [r.type, num(r.s)]));
  }

  /** Σ every seller's balance now (the summary rows). */
  async owedToSellers(): Promise<number> {
    const [r] = await rows<{ s: unknown }>(
      this.ds,
      this.ds.manager,
      `SELECT COALESCE(SUM(total), 0) AS s FROM seller_balances`,
    );
    return num(r?.s);
  }

  /** Σ per type of the entries booked on a fulfillment (its sale, commission, refunds …). */
  async sumsOfFulfillment(
    tx: Tx,
    fulfillmentId: string,
  ): Promise<Partial<Record<LedgerType, number>>> {
    const found = await rows<{ type: LedgerType; s: unknown }>(
      this.ds,
      tx,
      `SELECT type, SUM(amount) AS s FROM seller_ledger_entries
        WHERE fulfillment_id = :f GROUP BY type`,
      { f: fulfillmentId },
    );
    return Object.fromEntries(found.map((r) => [r.type, num(r.s)]));
  }

  /** Adds entries to their sellers' summary rows (created on a seller's first entry). */
  private async addToSummaries(tx: Tx, entries: SellerLedgerEntry[]): Promise<void> {
    const bySeller = new Map<string, SellerLedgerEntry[]>();
    for (const e of entries) {
      const list = bySeller.get(e.sellerId);
      if (list) list.push(e);
      else bySeller.set(e.sellerId, [e]);
    }
    // in seller order: two transactions that touch the same sellers lock their rows in one order
    const deltas = [...bySeller.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([sellerId, list]) => ({ sellerId, count: list.length, ...totalsOf(list) }));
    const at = sqlTime(this.pg, entries[0].createdAt);
    this.summaries.wrote(tx.queryRunner);
    for (const part of chunks(deltas, WRITE_CHUNK)) {
      const params = part.flatMap((d) => [
        d.sellerId,
        d.total,
        d.paidOut,
        d.lifetimeSales,
        d.lifetimeCommission,
        d.count,
        at,
      ]);
      await tx.query(addToSummariesSql(this.pg, part.length), params);
    }
  }

  /**
   * Locks the summary rows of these sellers (all sellers with money when `sellerIds` is omitted)
   * until the transaction ends, in seller order, and answers the ids locked. Whoever appends for
   * them waits, so what is read next cannot be spent twice. SQLite serialises writers already.
   */
  async lockSellers(tx: Tx, sellerIds?: string[]): Promise<string[]> {
    const lock = this.pg ? ' FOR UPDATE' : '';
    if (!sellerIds) {
      const found = await rows<{ seller_id: string }>(
        this.ds,
        tx,
        `SELECT seller_id FROM seller_balances WHERE total > 0 ORDER BY seller_id${lock}`,
      );
      return found.map((r) => r.seller_id);
    }
    const out: string[] = [];
    for (const part of chunks([...sellerIds].sort(), CHUNK)) {
      const found = await rows<{ seller_id: string }>(
        this.ds,
        tx,
        `SELECT seller_id FROM seller_balances WHERE seller_id IN (:...ids) ORDER BY seller_id${lock}`,
        { ids: part },
      );
      out.push(...found.map((r) => r.seller_id));
    }
    return out;
  }

  /**
   * The summary of each seller with its pending part, one statement per 500 sellers: the row by
   * primary key plus Σ of the entries still on hold through the (seller_id, available_at) index —
   * only the last PAYOUT_HOLD of sales, however long the ledger. Sellers without entries are absent.
   * An entry available at its creation (a payout, an adjustment) is never pending, even when this
   * reader's `now` is a moment older than the entry (a transaction that started first, clock skew):
   * otherwise a payout just committed would count as money on hold and be paid again.
   */
  async totalsOf(sellerIds: string[], now: Date, tx?: Tx): Promise<SellerTotals[]> {
    const out: SellerTotals[] = [];
    for (const part of chunks(sellerIds, CHUNK)) {
      const found = await rows<Record<string, unknown>>(
        this.ds,
        tx ?? this.ds.manager,
        `SELECT b.seller_id, b.total, b.paid_out, b.lifetime_sales, b.lifetime_commission,
                (SELECT COALESCE(SUM(e.amount), 0) FROM seller_ledger_entries e
                  WHERE e.seller_id = b.seller_id AND e.available_at > :now
                    AND e.available_at > e.created_at) AS pending
           FROM seller_balances b WHERE b.seller_id IN (:...ids)`,
        { ids: part, now: sqlTime(this.pg, now) },
      );
      out.push(
        ...found.map((r) => ({
          sellerId: String(r.seller_id),
          total: num(r.total),
          paidOut: num(r.paid_out),
          lifetimeSales: num(r.lifetime_sales),
          lifetimeCommission: num(r.lifetime_commission),
          pending: num(r.pending),
        })),
      );
    }
    return out;
  }

  /**
   * One seller's summary with its money on hold at `now` and when the first of it is released
   * (null: nothing on hold), or null for a seller without entries: what a cached balance needs
   * to know how long it stays right without a write (BalanceCache).
   */
  async balanceRow(sellerId: string, now: Date): Promise<HeldTotals | null> {
    const [r] = await rows<Record<string, unknown>>(
      this.ds,
      this.ds.manager,
      `SELECT b.total, b.paid_out, b.lifetime_sales, b.lifetime_commission, h.pending, h.next_release
         FROM seller_balances b,
              (SELECT COALESCE(SUM(e.amount), 0) AS pending, MIN(e.available_at) AS next_release
                 FROM seller_ledger_entries e
                WHERE e.seller_id = :id AND e.available_at > :now
                  AND e.available_at > e.created_at) h
        WHERE b.seller_id = :id`,
      { id: sellerId, now: sqlTime(this.pg, now) },
    );
    if (!r) return null;
    return {
      sellerId,
      total: num(r.total),
      paidOut: num(r.paid_out),
      lifetimeSales: num(r.lifetime_sales),
      lifetimeCommission: num(r.lifetime_commission),
      pending: num(r.pending),
      nextRelease: r.next_release === null ? null : sqlDate(r.next_release),
    };
  }

  /** A page of a seller's entries, newest first, and how many match. */
  page(f: LedgerFilter): Promise<[SellerLedgerEntry[], number]> {
    const qb = this.ds
      .getRepository(SellerLedgerEntry)
      .createQueryBuilder('e')
      .where('e.seller_id = :seller', { seller: f.sellerId });
    if (f.type) qb.andWhere('e.type = :type', { type: f.type });
    if (f.from) qb.andWhere('e.created_at >= :from', { from: sqlTime(this.pg, f.from) });
    if (f.to) qb.andWhere('e.created_at < :to', { to: sqlTime(this.pg, f.to) });
    return qb
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .skip(f.skip)
      .take(f.take)
      .getManyAndCount();
  }

  /**
   * For a statement, in one statement over the (seller_id, created_at) index: per type, Σ before
   * `from` (the opening balance) and Σ within [from, to).
   */
  async monthSums(
    sellerId: string,
    from: Date,
    to: Date,
  ): Promise<{ opening: number; sums: Partial<Record<LedgerType, number>> }> {
    const found = await rows<{ type: LedgerType; before: unknown; within: unknown }>(
      this.ds,
      this.ds.manager,
      `SELECT type,
              SUM(CASE WHEN created_at < :from THEN amount ELSE 0 END) AS before,
              SUM(CASE WHEN created_at >= :from THEN amount ELSE 0 END) AS within
         FROM seller_ledger_entries WHERE seller_id = :seller AND created_at < :to
        GROUP BY type`,
      { seller: sellerId, from: sqlTime(this.pg, from), to: sqlTime(this.pg, to) },
    );
    let opening = 0;
    const sums: Partial<Record<LedgerType, number>> = {};
    for (const r of found) {
      opening += num(r.before);
      sums[r.type] = num(r.within);
    }
    return { opening, sums };
  }

  /**
   * A seller's entries created in [from, to), oldest first (ties by id: the index's own order,
   * no sort step), each handed to `visit` in order as StatementLine says. A month can hold
   * 100,000 entries: the database writes each entry's first eight CSV fields as one string, and
   * on SQLite the rows are read as arrays straight from the driver into one StatementLine that is
   * refilled for each row (`visit` must not keep it), so a statement makes no object per entry,
   * no `Date` and three strings (issue 15: ≤ 1 s). `visit` must not run queries (SQLite's
   * connection is busy until the last row).
   */
  async eachStatementLine(
    sellerId: string,
    from: Date,
    to: Date,
    visit: (line: Readonly<StatementLine>) => void,
  ): Promise<void> {
    const pg = this.pg;
    // ISO 8601 UTC as toISOString prints it. SQLite keeps `YYYY-MM-DD HH:MM:SS.SSS` text (what
    // TypeORM, sqlTime and the column default write): two substrings are far cheaper per row than
    // strftime, which is kept for any other shape of text.
    const iso = (c: string) =>
      pg
        ? `to_char(${c} AT TIME ZONE 'UTC', :iso)` // a parameter: its colons are not names
        : `CASE WHEN length(${c}) = 23 THEN substr(${c}, 1, 10) || 'T' || substr(${c}, 12) || 'Z' ` +
          `ELSE strftime('%Y-%m-%dT%H:%M:%fZ', ${c}) END`;
    // tenge with two decimals, as tiynToDecimal writes it (integer division on both databases)
    const cents = pg
      ? `lpad(CAST(abs(e.amount) % 100 AS text), 2, '0')`
      : `substr('0' || (abs(e.amount) % 100), -2)`;
    const amount = `CASE WHEN e.amount < 0 THEN '-' ELSE '' END || CAST(abs(e.amount) / 100 AS text) || '.' || ${cents}`;
    const ref = (c: string) => `COALESCE(CAST(${c} AS text), '')`;
    const head = [
      iso('e.created_at'),
      'e.type',
      amount,
      iso('e.available_at'),
      ...['e.order_id', 'e.fulfillment_id', 'e.return_id', 'e.payout_id'].map(ref),
    ].join(` || ',' || `);
    const sql = `SELECT ${head} AS h, e.note AS n, e.id AS i
         FROM seller_ledger_entries e
        WHERE e.seller_id = :seller AND e.created_at >= :from AND e.created_at < :to
        ORDER BY e.created_at ASC, e.id ASC`;
    const params = {
      seller: sellerId,
      from: sqlTime(pg, from),
      to: sqlTime(pg, to),
      ...(pg ? { iso: 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"' } : {}),
    };
    const line: StatementLine = { head: '', note: null, id: '' };
    const fill = (h: unknown, n: unknown, i: unknown) => {
      line.head = h as string;
      line.note = (n as string | null) ?? null;
      line.id = i as string;
      visit(line);
    };
    if (pg) {
      const found = await rows<Record<string, unknown>>(this.ds, this.ds.manager, sql, params);
      for (const r of found) fill(r.h, r.n, r.i);
      return;
    }
    const [text, values] = this.ds.driver.escapeQueryWithParameters(sql, params);
    const db = (this.ds.driver as unknown as { databaseConnection: SqliteRaw }).databaseConnection;
    const rowsOf = db
      .prepare(text)
      .raw(true)
      .iterate(...values) as Iterable<unknown[]>;
    for (const r of rowsOf) fill(r[0], r[1], r[2]);
  }
}
