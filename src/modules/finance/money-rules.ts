import { isTimeZone, localDateOf, localMidnight } from '../../common/time/time-zone';

/**
 * The money rules of the finance module as pure functions: no database, no clock, no config.
 * Amounts are integer tiyn (1/100 KZT); rates are integer basis points (1/100 of a percent), so
 * every product below is exact integer maths and only the final division rounds (half up).
 */

export const LEDGER_TYPES = [
  'sale',
  'commission',
  'refund',
  'commission_reversal',
  'payout',
  'payout_reversal',
  'adjustment',
] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** 100 % in basis points. */
export const FULL_RATE_BP = 10_000;

/** `rate_percent` (0–100, up to 2 decimals) → basis points; null when it is not such a number. */
export function percentToBp(percent: number): number | null {
  if (typeof percent !== 'number' || !Number.isFinite(percent)) return null;
  const bp = Math.round(percent * 100);
  if (Math.abs(percent * 100 - bp) > 1e-6 || bp < 0 || bp > FULL_RATE_BP) return null;
  return bp;
}

export const bpToPercent = (bp: number): number => bp / 100;

/** n / d rounded half up (away from zero for negative n), for integers and d > 0. */
export function divHalfUp(n: number, d: number): number {
  const q = Math.floor(Math.abs(n) / d);
  const r = Math.abs(n) - q * d;
  const v = 2 * r >= d ? q + 1 : q;
  return n < 0 ? -v : v;
}

export interface CommissionTerms {
  rateBp: number;
  /** tiyn per line, or null */
  minFee: number | null;
  maxFee: number | null;
}

/** A line's commission: subtotal × rate, rounded half up to the tiyn, clamped to [min, max]. */
export function commissionFor(subtotal: number, rule: CommissionTerms): number {
  let c = divHalfUp(subtotal * rule.rateBp, FULL_RATE_BP);
  if (rule.minFee !== null && c < rule.minFee) c = rule.minFee;
  if (rule.maxFee !== null && c > rule.maxFee) c = rule.maxFee;
  return c;
}

export type RuleScope = 'global' | 'category' | 'seller';

export interface ScopedRule extends CommissionTerms {
  scope: RuleScope;
  category: string | null;
  sellerId: string | null;
}

/** The rule that applies to a line: the seller's, else its category's, else the global one. */
export function resolveRule<R extends ScopedRule>(
  rules: readonly R[],
  line: { sellerId: string; category: string },
): R {
  const seller = rules.find((r) => r.scope === 'seller' && r.sellerId === line.sellerId);
  if (seller) return seller;
  const category = rules.find((r) => r.scope === 'category' && r.category === line.category);
  if (category) return category;
  const global = rules.find((r) => r.scope === 'global');
  if (!global) throw new Error('no global commission rule');
  return global;
}

/** The VAT inside a VAT-inclusive amount at p % (c × p / (100 + p), half up; p = 0 → 0). */
export function vatPart(amount: number, vatPercent: number): number {
  if (vatPercent <= 0) return 0;
  return divHalfUp(amount * vatPercent, 100 + vatPercent);
}

export interface BalanceEntry {
  type: LedgerType;
  amount: number;
  availableAt: Date;
  createdAt: Date;
}

export interface Balance {
  pending: number;
  available: number;
  /** Paid out and not reversed (payouts still pending at the bank included). */
  paidOut: number;
  /** Σ sale entries. */
  lifetimeSales: number;
  /** The commission charged, net of reversals (a positive number). */
  lifetimeCommission: number;
}

/** What each entry type adds to the running totals of a seller (the summary row's columns). */
export interface BalanceTotals {
  /** Σ every entry. */
  total: number;
  paidOut: number;
  lifetimeSales: number;
  lifetimeCommission: number;
}

export function totalsOf(entries: readonly { type: LedgerType; amount: number }[]): BalanceTotals {
  const t: BalanceTotals = { total: 0, paidOut: 0, lifetimeSales: 0, lifetimeCommission: 0 };
  for (const e of entries) {
    t.total += e.amount;
    switch (e.type) {
      case 'sale':
        t.lifetimeSales += e.amount;
        break;
      case 'commission':
      case 'commission_reversal':
        t.lifetimeCommission -= e.amount;
        break;
      case 'payout':
      case 'payout_reversal':
        t.paidOut -= e.amount;
        break;
      case 'refund':
      case 'adjustment':
        break;
    }
  }
  return t;
}

/** The balance from totals and the part not yet available (Σ entries with available_at > now). */
export const balanceOf = (t: BalanceTotals, pending: number): Balance => ({
  pending,
  available: t.total - pending,
  paidOut: t.paidOut,
  lifetimeSales: t.lifetimeSales,
  lifetimeCommission: t.lifetimeCommission,
});

/**
 * An entry still on hold at `now`: its money comes later than it was booked, and later than now.
 * One available at its creation is never on hold, whatever a reader's clock says.
 */
export const isOnHold = (e: Pick<BalanceEntry, 'availableAt' | 'createdAt'>, now: Date): boolean =>
  e.availableAt.getTime() > now.getTime() && e.availableAt.getTime() > e.createdAt.getTime();

/** A seller's balance from all their entries at `now` (the reference the summary is checked by). */
export function splitBalance(entries: readonly BalanceEntry[], now: Date): Balance {
  const pending = entries.filter((e) => isOnHold(e, now)).reduce((s, e) => s + e.amount, 0);
  return balanceOf(totalsOf(entries), pending);
}

// ---- months in a time zone ------------------------------------------------------------------

export { isTimeZone };

/** The UTC instant of local midnight starting day 1 of `month` (0-based) of `year` in `tz`. */
export const localMonthStart = (year: number, month: number, tz: string): Date =>
  localMidnight(year, month, 1, tz);

export interface MonthRange {
  /** "2024-03" */
  month: string;
  from: Date;
  /** exclusive */
  to: Date;
}

/** The half-open UTC interval of a calendar month `yyyy-mm` in `tz`; null for a bad month. */
export function monthRange(month: string, tz: string): MonthRange | null {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const mon = Number(m[2]) - 1;
  if (mon < 0 || mon > 11 || year < 2000 || year > 2100) return null;
  return { month, from: localMonthStart(year, mon, tz), to: localMonthStart(year, mon + 1, tz) };
}

export interface Statement {
  month: string;
  openingBalance: number;
  sales: number;
  commission: number;
  /** The VAT part of the month's net commission (positive; informational, not a movement). */
  commissionVat: number;
  refunds: number;
  commissionReversals: number;
  payouts: number;
  adjustments: number;
  closingBalance: number;
}

/**
 * A month's statement from the balance before it and the month's sums per type (signed, as in the
 * ledger; payouts net of their reversals). closing = opening + every movement of the month.
 */
export function statementOf(
  month: string,
  opening: number,
  sums: Partial<Record<LedgerType, number>>,
  vatPercent: number,
): Statement {
  const s = (t: LedgerType) => sums[t] ?? 0;
  const movements = LEDGER_TYPES.reduce((acc, t) => acc + s(t), 0);
  return {
    month,
    openingBalance: opening,
    sales: s('sale'),
    commission: s('commission'),
    commissionVat: vatPart(-(s('commission') + s('commission_reversal')), vatPercent),
    refunds: s('refund'),
    commissionReversals: s('commission_reversal'),
    payouts: s('payout') + s('payout_reversal'),
    adjustments: s('adjustment'),
    closingBalance: opening + movements,
  };
}

// ---- payouts --------------------------------------------------------------------------------

export const SKIP_REASONS = ['NOTHING_AVAILABLE', 'SHOP_NOT_APPROVED', 'BELOW_MINIMUM'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type PayoutDecision = { pay: number } | { skip: SkipReason };

/** Whether a seller is paid now, and how much (all of the available balance). */
export function payoutDecision(
  available: number,
  shopApproved: boolean,
  minAmount: number,
): PayoutDecision {
  if (available <= 0) return { skip: 'NOTHING_AVAILABLE' };
  if (!shopApproved) return { skip: 'SHOP_NOT_APPROVED' };
  if (available < minAmount) return { skip: 'BELOW_MINIMUM' };
  return { pay: available };
}

// ---- CSV ------------------------------------------------------------------------------------

/**
 * CSV as RFC 4180 says: CRLF line ends, a field holding a comma, quote, CR or LF is quoted with
 * its quotes doubled. Text that a spreadsheet would run as a formula (=, +, @, tab, CR first) gets
 * a leading apostrophe. Starts with a UTF-8 BOM: Excel and 1C read a BOM-less file as cp1251 and
 * garble Cyrillic names; every bank import we know skips the BOM.
 */
export function toCsv(
  header: readonly string[],
  rows: readonly (string | number | null)[][],
): string {
  return '\ufeff' + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One CSV field as `toCsv` writes it (null: empty). */
export function csvField(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const STATEMENT_CSV_HEADER = [
  'created_at',
  'type',
  'amount',
  'available_at',
  'order_id',
  'fulfillment_id',
  'return_id',
  'payout_id',
  'note',
  'id',
] as const;

/**
 * One ledger entry as a statement's CSV lists it, mostly formatted by the database (the
 * repository's `eachStatementLine`, one string per entry): `head` holds the first eight fields
 * of STATEMENT_CSV_HEADER joined by commas — both timestamps as ISO 8601 UTC text, what
 * `toISOString` prints; the type; the amount as `tiynToDecimal` writes it; the four references,
 * UUIDs or empty — none of which ever needs quoting. The note, the only free text, stays apart.
 */
export interface StatementLine {
  /** `created_at,type,amount,available_at,order_id,fulfillment_id,return_id,payout_id` */
  head: string;
  note: string | null;
  id: string;
}

/**
 * One line of the statement CSV (STATEMENT_CSV_HEADER), byte for byte what `toCsv` makes of the
 * same entry. Only the note is free text and goes through `csvField`; every other field is a
 * timestamp, a type name, an amount or UUIDs, which never need quoting — so 100,000 lines cost
 * one template each, not ten field checks (issue 15: a month of 100,000 entries in ≤ 1 s).
 */
export function statementCsvLine(l: Readonly<StatementLine>): string {
  return l.note === null ? `${l.head},,${l.id}` : `${l.head},${csvField(l.note)},${l.id}`;
}

/**
 * A CSV file as a few UTF-8 Buffers: lines are joined `size` at a time (CRLF after each), so a
 * statement of 100,000 entries is held as ~50 Buffers outside the JS heap instead of 100,000
 * strings and one 11 MB string in it (issue 15; the server runs with a 192 MB heap).
 */
export class CsvChunks {
  private lines: string[] = [];
  private readonly out: Buffer[] = [];

  /** `header`: the header's fields; the file starts with a BOM (see toCsv). */
  constructor(
    header: readonly string[],
    private readonly size = 2000,
  ) {
    this.out.push(Buffer.from('\ufeff' + header.join(',') + '\r\n'));
  }

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length >= this.size) this.flush();
  }

  /** The whole file. */
  end(): Buffer[] {
    this.flush();
    return this.out;
  }

  private flush(): void {
    if (!this.lines.length) return;
    this.out.push(Buffer.from(this.lines.join('\r\n') + '\r\n'));
    this.lines = [];
  }
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Tiyn as a plain decimal for files: 123450 → "1234.50", -5 → "-0.05". */
export function tiynToDecimal(tiyn: number): string {
  const abs = Math.abs(tiyn);
  return `${tiyn < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const REGISTER_HEADER = [
  'recipient',
  'bin_iin',
  'iban',
  'bik',
  'kbe',
  'knp',
  'amount',
  'purpose',
] as const;

export interface RegisterRow {
  recipient: string;
  binIin: string;
  iban: string;
  bik: string;
  kbe: string;
  amount: number;
  purpose: string;
}

/** The bank register of a batch: one row per payout, amounts in tenge with 2 decimals. */
export function registerCsv(rows: readonly RegisterRow[], knp: string): string {
  return toCsv(
    REGISTER_HEADER,
    rows.map((r) => [
      r.recipient,
      r.binIin,
      r.iban,
      r.bik,
      r.kbe,
      knp,
      tiynToDecimal(r.amount),
      r.purpose,
    ]),
  );
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * dd.mm.yyyy of an instant in `tz`. Through the shared per-zone formatter (`localDateOf`): an
 * `Intl.DateTimeFormat` made per call holds ~25 KB of ICU memory outside the JS heap until a GC
 * that the heap's size does not trigger — a 10,000-payout batch made 10,000 of them (+260 MB RSS).
 */
export const localDate = (d: Date, tz: string): string => {
  const l = localDateOf(d, tz);
  return `${two(l.day)}.${two(l.month + 1)}.${l.year}`;
};

/** The purpose line of a payout in the register. */
export const payoutPurpose = (shopName: string, from: Date | null, to: Date, tz: string): string =>
  `Выплата по договору оферты с ${shopName} за период ${from ? `с ${localDate(from, tz)} ` : ''}по ${localDate(to, tz)}`;

// ---- refunds --------------------------------------------------------------------------------

/**
 * The commission given back when `quantity` more units of a line come back, `returnedBefore`
 * units having come back already: the line's frozen commission pro rata of the units back so far,
 * rounded half up, minus what the earlier returns got. It telescopes: returning every unit, in
 * any number of returns, gives back exactly the line's commission, and never more (quantities
 * beyond the line's are not counted).
 */
export function commissionReversal(
  line: { quantity: number; commission: number },
  returnedBefore: number,
  quantity: number,
): number {
  if (line.quantity <= 0) return 0;
  const before = Math.min(Math.max(returnedBefore, 0), line.quantity);
  const after = Math.min(before + Math.max(quantity, 0), line.quantity);
  return (
    divHalfUp(line.commission * after, line.quantity) -
    divHalfUp(line.commission * before, line.quantity)
  );
}

/**
 * What a delivered parcel moved to `refunded` takes back, from what its entries hold (signed
 * sums per type, as in the ledger): the sale not refunded yet (by returns) and the commission not
 * reversed yet. Both positive amounts (0: nothing left).
 */
export function parcelRefund(booked: Partial<Record<LedgerType, number>>): {
  refund: number;
  reversal: number;
} {
  const s = (t: LedgerType) => booked[t] ?? 0;
  return {
    refund: Math.max(0, s('sale') + s('refund')),
    reversal: Math.max(0, -s('commission') - s('commission_reversal')),
  };
}

/** The admin's money view over a period, from the ledger's sums per type (signed). */
export function financeFigures(sums: Partial<Record<LedgerType, number>>, vatPercent: number) {
  const s = (t: LedgerType) => sums[t] ?? 0;
  const commissionEarned = 0 - s('commission') - s('commission_reversal');
  return {
    commissionEarned,
    commissionVat: vatPart(commissionEarned, vatPercent),
    refunds: 0 - s('refund'),
    adjustments: s('adjustment'),
  };
}
