import { ApiProperty } from '@nestjs/swagger';

import { toKzt } from '../../../common/money/money';
import type { CommissionRule } from '../finance.entities';
import { bpToPercent } from '../money-rules';

export class CommissionRuleResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['global', 'category', 'seller'], example: 'category' }) scope: string;
  @ApiProperty({ nullable: true, type: String, example: 'electronics' }) category: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', example: null })
  seller_id: string | null;
  @ApiProperty({ example: 7.5 }) rate_percent: number;
  @ApiProperty({ nullable: true, type: Number, example: 100 }) min_fee: number | null;
  @ApiProperty({ nullable: true, type: Number, example: 20000 }) max_fee: number | null;
  @ApiProperty({ example: '2026-11-28T12:00:00.000Z' }) created_at: string;
}

const kztOrNull = (t: number | null) => (t === null ? null : toKzt(t));

export const toRuleResponse = (r: CommissionRule): CommissionRuleResponse => ({
  id: r.id,
  scope: r.scope,
  category: r.category,
  seller_id: r.sellerId,
  rate_percent: bpToPercent(r.rateBp),
  min_fee: kztOrNull(r.minFee),
  max_fee: kztOrNull(r.maxFee),
  created_at: new Date(r.createdAt).toISOString(),
});
