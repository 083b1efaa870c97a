import { ApiProperty } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import type { SellerLedgerEntry } from '../finance.entities';
import type { Balance, Statement } from '../money-rules';
import { LEDGER_TYPES } from '../money-rules';

export class BalanceResponse {
  @ApiProperty({ example: 45000, description: 'KZT not yet available (sales on hold)' })
  pending: number;
  @ApiProperty({ example: 120500.5, description: 'KZT payable now; may be negative' })
  available: number;
  @ApiProperty({ example: 300000, description: 'KZT paid out (payouts not failed)' })
  paid_out: number;
  @ApiProperty({ example: 520000, description: 'KZT, Σ of sale entries' }) lifetime_sales: number;
  @ApiProperty({ example: 52000, description: 'KZT, commission net of reversals' })
  lifetime_commission: number;
}

export class LedgerEntryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) seller_id: string;
  @ApiProperty({ enum: LEDGER_TYPES, example: 'sale' }) type: string;
  @ApiProperty({ example: 12990.5, description: 'KZT, signed' }) amount: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) order_id: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) fulfillment_id: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) return_id: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) payout_id: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) note: string | null;
  @ApiProperty({ example: '2026-12-12T09:00:00.000Z' }) available_at: string;
  @ApiProperty({ example: '2026-11-28T09:00:00.000Z' }) created_at: string;
}

export class StatementResponse {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ example: 10000 }) opening_balance: number;
  @ApiProperty({ example: 116000 }) sales: number;
  @ApiProperty({ example: -11600, description: 'KZT, signed as in the ledger' }) commission: number;
  @ApiProperty({ example: 1600, description: 'The VAT inside the net commission (informational)' })
  commission_vat: number;
  @ApiProperty({ example: -1000 }) refunds: number;
  @ApiProperty({ example: 100 }) commission_reversals: number;
  @ApiProperty({ example: -50000, description: 'Payouts net of their reversals' }) payouts: number;
  @ApiProperty({ example: 0 }) adjustments: number;
  @ApiProperty({ example: 63500 }) closing_balance: number;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export const toBalanceResponse = (b: Balance): BalanceResponse => ({
  pending: toKzt(b.pending),
  available: toKzt(b.available),
  paid_out: toKzt(b.paidOut),
  lifetime_sales: toKzt(b.lifetimeSales),
  lifetime_commission: toKzt(b.lifetimeCommission),
});

export const toEntryResponse = (e: SellerLedgerEntry): LedgerEntryResponse => ({
  id: e.id,
  seller_id: e.sellerId,
  type: e.type,
  amount: toKzt(e.amount),
  order_id: e.orderId,
  fulfillment_id: e.fulfillmentId,
  return_id: e.returnId,
  payout_id: e.payoutId,
  note: e.note,
  available_at: iso(e.availableAt),
  created_at: iso(e.createdAt),
});

export const toStatementResponse = (s: Statement): StatementResponse => ({
  month: s.month,
  opening_balance: toKzt(s.openingBalance),
  sales: toKzt(s.sales),
  commission: toKzt(s.commission),
  commission_vat: toKzt(s.commissionVat),
  refunds: toKzt(s.refunds),
  commission_reversals: toKzt(s.commissionReversals),
  payouts: toKzt(s.payouts),
  adjustments: toKzt(s.adjustments),
  closing_balance: toKzt(s.closingBalance),
});

export class FinanceOverviewResponse {
  @ApiProperty({
    example: 1250000,
    description:
      'KZT: items + delivery of the parcels (not cancelled) of paid orders placed in the period',
  })
  gmv: number;
  @ApiProperty({ example: 118000, description: 'KZT: commission charged net of reversals' })
  commission_earned: number;
  @ApiProperty({ example: 16276, description: 'KZT: the VAT part of commission_earned' })
  commission_vat: number;
  @ApiProperty({ example: 25000, description: 'KZT: refunded for sellers’ sold lines (ledger)' })
  refunds: number;
  @ApiProperty({ example: 900000, description: 'KZT: payouts made in the period and paid' })
  payouts_paid: number;
  @ApiProperty({ example: 50000, description: 'KZT: payouts made in the period, still pending' })
  payouts_pending: number;
  @ApiProperty({
    example: 207000,
    description: 'KZT: Σ every seller’s balance now (pending + available), whatever the period',
  })
  owed_to_sellers: number;
}

export const toFinanceOverviewResponse = (o: {
  gmv: number;
  commissionEarned: number;
  commissionVat: number;
  refunds: number;
  payoutsPaid: number;
  payoutsPending: number;
  owedToSellers: number;
}): FinanceOverviewResponse => ({
  gmv: toKzt(o.gmv),
  commission_earned: toKzt(o.commissionEarned),
  commission_vat: toKzt(o.commissionVat),
  refunds: toKzt(o.refunds),
  payouts_paid: toKzt(o.payoutsPaid),
  payouts_pending: toKzt(o.payoutsPending),
  owed_to_sellers: toKzt(o.owedToSellers),
});
