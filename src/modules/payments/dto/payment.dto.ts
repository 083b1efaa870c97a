import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Matches, ValidateIf } from 'class-validator';

import type { PaymentMethod } from '../payment.entity';
import { PAYMENT_METHODS } from '../payment.entity';

export class CreatePaymentDto {
  @ApiProperty({ format: 'uuid', description: 'Your order; the amount is its total_amount' })
  @IsUUID()
  order_id: string;

  @ApiProperty({ enum: PAYMENT_METHODS, example: 'card' })
  @IsIn(PAYMENT_METHODS)
  payment_method: PaymentMethod;

  @ApiPropertyOptional({
    description:
      'Card payments only: the token the card acquirer issued to the client (never a raw card number). ' +
      'Demo provider test tokens: `4000000000000002` is declined (201 with status `failed`, the order stays payable); ' +
      '`4000000000000119` simulates a provider failure (502); any other token or none completes at once.',
    example: 'tok_visa_4242',
    maxLength: 64,
  })
  @IsOptional()
  @ValidateIf((o: CreatePaymentDto) => o.card_token !== undefined)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'card_token must be 1–64 letters, digits, _ or -' })
  card_token?: string;
}

export const WEBHOOK_STATUSES = ['completed', 'failed', 'pending'] as const;

export class PaymentWebhookDto {
  @ApiProperty({ example: 'demo_kaspi_3f2a9c0d1e4b5a6978c0d1e2' })
  @IsString()
  @Matches(/^[\x21-\x7e]{1,64}$/, { message: 'transaction_id must be 1–64 visible characters' })
  transaction_id: string;

  @ApiProperty({ enum: WEBHOOK_STATUSES, example: 'completed' })
  @IsIn(WEBHOOK_STATUSES)
  status: (typeof WEBHOOK_STATUSES)[number];
}
