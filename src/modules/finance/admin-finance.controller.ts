import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';

import type { Actor } from '../../common/auth/actor';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ApiPageResponse, Page } from '../../common/pagination/pagination';
import { AdjustmentDto, FinanceQuery, LedgerQuery } from './dto/ledger.dto';
import {
  BalanceResponse,
  FinanceOverviewResponse,
  LedgerEntryResponse,
  StatementResponse,
  toBalanceResponse,
  toEntryResponse,
  toFinanceOverviewResponse,
} from './dto/ledger.response';
import { CreatePayoutsDto, MarkFailedDto, MarkPaidDto, PayoutListQuery } from './dto/payout.dto';
import { PayoutBatchResponse, PayoutResponse, toPayoutResponse } from './dto/payout.response';
import { FinanceReport } from './finance-report.service';
import { CSV_CONTENT_TYPE } from './money-rules';
import { PayoutsService } from './payouts.service';
import { SellerLedgerService } from './seller-ledger.service';

@ApiTags('admin finance')
@ApiExtraModels(StatementResponse)
@Controller('admin')
@Roles('admin')
export class AdminFinanceController {
  constructor(
    private readonly ledger: SellerLedgerService,
    private readonly payouts: PayoutsService,
    private readonly report: FinanceReport,
  ) {}

  @Get('finance')
  @ApiOperation({
    summary: 'The platform’s money over a period',
    description:
      'GMV, commission earned (net of reversals) with its VAT part, refunds and payouts of the ' +
      'period (`from`, `to`: dates or instants, UTC; all time without them), and owed_to_sellers: ' +
      'Σ every seller’s balance now.',
  })
  @ApiOkResponse({ type: FinanceOverviewResponse })
  @ApiErrors(400)
  async finance(@Query() q: FinanceQuery): Promise<FinanceOverviewResponse> {
    return toFinanceOverviewResponse(await this.report.overview(q));
  }

  @Get('sellers/:seller_id/balance')
  @ApiOperation({ summary: 'A seller’s balance (as the seller sees it)' })
  @ApiOkResponse({ type: BalanceResponse })
  @ApiErrors(400, 404)
  async balance(@Param('seller_id', ParseUUIDPipe) sellerId: string): Promise<BalanceResponse> {
    return toBalanceResponse(await this.ledger.balanceForAdmin(sellerId));
  }

  @Get('sellers/:seller_id/ledger')
  @ApiOperation({ summary: 'A seller’s ledger entries, newest first' })
  @ApiPageResponse(LedgerEntryResponse)
  @ApiErrors(400, 404)
  async entries(
    @Param('seller_id', ParseUUIDPipe) sellerId: string,
    @Query() q: LedgerQuery,
  ): Promise<Page<LedgerEntryResponse>> {
    const page = await this.ledger.ledgerForAdmin(sellerId, q);
    return { ...page, items: page.items.map(toEntryResponse) };
  }

  @Post('sellers/:seller_id/adjustments')
  @ApiOperation({
    summary: 'Correct a seller’s balance: an `adjustment` entry, available at once',
    description: '`amount` is signed KZT (not 0); `note` is required and says why.',
  })
  @ApiCreatedResponse({ type: LedgerEntryResponse })
  @ApiErrors(400, 404)
  async adjust(
    @CurrentUser() user: Actor,
    @Param('seller_id', ParseUUIDPipe) sellerId: string,
    @Body() dto: AdjustmentDto,
  ): Promise<LedgerEntryResponse> {
    return toEntryResponse(await this.ledger.adjust(user, sellerId, dto));
  }

  @Post('payouts')
  @ApiOperation({
    summary: 'Make a payout batch',
    description:
      'One payout per chosen seller (default: every seller with money) whose available balance is ' +
      'at least `min_amount` [1000 KZT] and whose shop is approved; the whole available balance is ' +
      'paid, the bank details are copied from the shop, and the `payout` ledger entry is written in ' +
      'the same transaction. Two batches made at once never pay the same money twice. Skipped ' +
      'sellers say why: `NOTHING_AVAILABLE`, `SHOP_NOT_APPROVED`, `BELOW_MINIMUM`. With ' +
      'PAYOUT_PROVIDER=manual the payouts stay `pending` until marked paid or failed.',
  })
  @ApiCreatedResponse({ type: PayoutBatchResponse })
  @ApiErrors(400)
  async createBatch(
    @CurrentUser() user: Actor,
    @Body() dto: CreatePayoutsDto,
  ): Promise<PayoutBatchResponse> {
    const o = await this.payouts.createBatch(user, dto);
    return {
      batch_id: o.batchId,
      payouts: o.payouts.map(toPayoutResponse),
      skipped: o.skipped.map((s) => ({ seller_id: s.sellerId, reason: s.reason })),
    };
  }

  @Get('payouts')
  @ApiOperation({ summary: 'Payouts, newest first (filters: status, seller_id, batch_id)' })
  @ApiPageResponse(PayoutResponse)
  @ApiErrors(400)
  async list(@Query() q: PayoutListQuery): Promise<Page<PayoutResponse>> {
    const page = await this.payouts.list(q);
    return { ...page, items: page.items.map(toPayoutResponse) };
  }

  @Get('payouts/batches/:batch_id/register')
  @ApiOperation({
    summary: 'The bank register of a batch (CSV)',
    description:
      'One row per payout not failed: `recipient, bin_iin, iban, bik, kbe, knp, amount, purpose`; ' +
      'knp is PAYOUT_KNP [859], amount in KZT with 2 decimals. UTF-8 with a BOM (so Excel and 1C ' +
      'read Cyrillic names), CRLF line ends, RFC 4180 quoting.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The register',
    content: {
      'text/csv': {
        schema: { type: 'string' },
        example:
          'recipient,bin_iin,iban,bik,kbe,knp,amount,purpose\r\n' +
          'ИП Ахметова,880101300123,KZ86125KZT5004100100,KCJBKZKX,19,859,125000.50,Выплата по договору оферты с ИП Ахметова за период по 01.12.2026\r\n',
      },
    },
  })
  @ApiErrors(400, 404)
  async register(
    @Param('batch_id', ParseUUIDPipe) batchId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const csv = await this.payouts.register(batchId);
    res.setHeader('Content-Type', CSV_CONTENT_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="payouts-${batchId}.csv"`);
    return csv;
  }

  @Put('payouts/:id/paid')
  @ApiOperation({ summary: 'Mark a pending payout paid (the seller is emailed)' })
  @ApiOkResponse({ type: PayoutResponse })
  @ApiErrors(400, 404, 409)
  async paid(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MarkPaidDto,
  ): Promise<PayoutResponse> {
    return toPayoutResponse(await this.payouts.markPaid(user, id, dto.bank_reference));
  }

  @Put('payouts/:id/failed')
  @ApiOperation({
    summary: 'Mark a pending payout failed: its amount returns to the balance',
    description: 'Writes a `payout_reversal` entry. A payout that is not pending → 409.',
  })
  @ApiOkResponse({ type: PayoutResponse })
  @ApiErrors(400, 404, 409)
  async failed(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: MarkFailedDto,
  ): Promise<PayoutResponse> {
    return toPayoutResponse(await this.payouts.markFailed(user, id, dto.reason));
  }
}
