import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

import { PageQuery } from '../../../common/pagination/pagination';
import type { OutboxStatus } from '../outbox-mail.entity';
import { OUTBOX_STATUSES } from '../outbox-mail.entity';

export class OutboxMailQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: OUTBOX_STATUSES,
    description: 'Only mails of this status (`failed`: given up after every retry); all if absent',
    example: 'failed',
  })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;
}
