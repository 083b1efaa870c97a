import { ApiProperty } from '@nestjs/swagger';

import { PageMeta } from '../../../common/pagination/pagination';
import type { StockReason } from '../stock-movement.entity';
import { STOCK_REASONS, StockMovement } from '../stock-movement.entity';

export class StockMovementResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) product_id: string;
  @ApiProperty({ example: -2, description: 'Change of the quantity (negative: units left)' })
  delta: number;
  @ApiProperty({ enum: STOCK_REASONS, example: 'sale' }) reason: StockReason;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The sale order' })
  order_id: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who caused it' })
  actor_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class StockMovementPage extends PageMeta {
  @ApiProperty({ type: [StockMovementResponse] }) items: StockMovementResponse[];
}

export function toStockMovementResponse(m: StockMovement): StockMovementResponse {
  return {
    id: m.id,
    product_id: m.productId,
    delta: Number(m.delta),
    reason: m.reason,
    order_id: m.orderId ?? null,
    actor_id: m.actorId ?? null,
    created_at: new Date(m.createdAt).toISOString(),
  };
}
