import { ApiProperty } from '@nestjs/swagger';

import type { OutboxMail, OutboxStatus } from '../outbox-mail.entity';
import { OUTBOX_STATUSES } from '../outbox-mail.entity';

/** A mail of the outbox as an admin sees it: never its body (it may hold a reset link). */
export class OutboxMailResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'aigerim@example.kz' }) to: string;
  @ApiProperty({ example: 'Заказ BB-2026-000123 оформлен' }) subject: string;
  @ApiProperty({ example: 'order_confirmation', description: 'What the mail is about' })
  kind: string;
  @ApiProperty({ enum: OUTBOX_STATUSES }) status: OutboxStatus;
  @ApiProperty({ example: 100, description: 'Delivery attempts so far' }) attempts: number;
  @ApiProperty({ type: String, nullable: true, example: 'connect ECONNREFUSED 10.0.0.5:587' })
  last_error: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the sender tries it next (pending)' })
  next_attempt_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sent_at: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The request that queued it (X-Request-Id; its log lines carry it)',
  })
  request_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function toOutboxMailResponse(m: OutboxMail): OutboxMailResponse {
  return {
    id: m.id,
    to: m.toAddress,
    subject: m.subject,
    kind: m.kind,
    status: m.status,
    attempts: m.attempts,
    last_error: m.lastError,
    next_attempt_at: iso(m.nextAttemptAt),
    sent_at: m.sentAt ? iso(m.sentAt) : null,
    request_id: m.requestId ?? null,
    created_at: iso(m.createdAt),
  };
}
