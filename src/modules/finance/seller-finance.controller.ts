import { Readable } from 'node:stream';

import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import { LedgerQuery, StatementQuery } from './dto/ledger.dto';
import {
  BalanceResponse,
  LedgerEntryResponse,
  StatementResponse,
  toBalanceResponse,
  toEntryResponse,
  toStatementResponse,
} from './dto/ledger.response';
import { SellerPayoutQuery } from './dto/payout.dto';
import { PayoutResponse, toPayoutResponse } from './dto/payout.response';
import { CSV_CONTENT_TYPE } from './money-rules';
import { PayoutsService } from './payouts.service';
import { SellerLedgerService } from './seller-ledger.service';

@ApiTags('seller money')
@Controller('seller')
@Roles('seller', 'admin')
export class SellerFinanceController {
  constructor(
    private readonly ledger: SellerLedgerService,
    private readonly payouts: PayoutsService,
  ) {}

  @Get('balance')
  @ApiOperation({
    summary: 'Own balance: pending (on hold), available, paid out, lifetime sales and commission',
    description:
      'A sale and its commission become available PAYOUT_HOLD after delivery; every other entry at ' +
      'once. `available` may be negative (a refund after a payout) and is netted against later sales.',
  })
  @ApiOkResponse({ type: BalanceResponse })
  async balance(@CurrentUser() user: Actor): Promise<BalanceResponse> {
    return toBalanceResponse(await this.ledger.balance(user));
  }

  /** `balance` from memory (the front door's warm path); undefined when it must be read. */
  balanceInMemory(user: Actor): BalanceResponse | undefined {
    const b = this.ledger.balanceInMemory(user);
    return b && toBalanceResponse(b);
  }

  @Get('ledger')
  @ApiOperation({ summary: 'Own ledger entries, newest first (append-only: never changed)' })
  @ApiPageResponse(LedgerEntryResponse)
  @ApiErrors(400)
  async entries(
    @CurrentUser() user: Actor,
    @Query() q: LedgerQuery,
  ): Promise<Page<LedgerEntryResponse>> {
    const page = await this.ledger.ledgerOf(user, q);
    return { ...page, items: page.items.map(toEntryResponse) };
  }

  @Get('statements/:month')
  @ApiOperation({
    summary: 'A monthly statement: opening balance, sums per type, closing balance',
    description:
      'Months start at local midnight in `tz` (default Asia/Almaty). With `Accept: text/csv` the ' +
      'month’s entries come as CSV (UTF-8 with BOM, RFC 4180), oldest first. Unknown zone → 400.',
  })
  @ApiParam({ name: 'month', example: '2026-11', description: 'yyyy-mm' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'The statement (JSON), or the month’s entries (CSV)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(StatementResponse) } },
      'text/csv': {
        schema: { type: 'string' },
        example:
          'created_at,type,amount,available_at,order_id,fulfillment_id,return_id,payout_id,note,id\r\n' +
          '2026-11-03T08:00:00.000Z,sale,12990.00,2026-11-17T08:00:00.000Z,…',
      },
    },
  })
  @ApiErrors(400)
  async statement(
    @CurrentUser() user: Actor,
    @Param('month') month: string,
    @Query() q: StatementQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<StatementResponse | StreamableFile> {
    if (/\btext\/csv\b/i.test(accept ?? '')) {
      const chunks = await this.ledger.statementCsv(user, month, q.tz);
      // written chunk by chunk: 100,000 entries are ~11 MB, never one string in the heap
      return new StreamableFile(Readable.from(chunks), {
        type: CSV_CONTENT_TYPE,
        disposition: `attachment; filename="statement-${month}.csv"`,
        length: chunks.reduce((n, c) => n + c.length, 0),
      });
    }
    return toStatementResponse(await this.ledger.statement(user, month, q.tz));
  }

  @Get('payouts')
  @ApiOperation({ summary: 'Own payouts, newest first' })
  @ApiPageResponse(PayoutResponse)
  @ApiErrors(400)
  async ownPayouts(
    @CurrentUser() user: Actor,
    @Query() q: SellerPayoutQuery,
  ): Promise<Page<PayoutResponse>> {
    const page = await this.payouts.listOwn(user, q);
    return { ...page, items: page.items.map(toPayoutResponse) };
  }
}
