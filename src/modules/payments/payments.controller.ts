import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';

import type { Actor } from '../../common/auth/actor';
import { Authenticated, CurrentUser, Public } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { Idempotent } from '../../common/idempotency/idempotent.decorator';
import { CreatePaymentDto, PaymentWebhookDto } from './dto/payment.dto';
import { PaymentResponse } from './dto/payment.response';
import { PaymentWebhooksService } from './payment-webhooks.service';
import { PaymentsService } from './payments.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@ApiTags('payments')
@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly payments: PaymentsService,
    private readonly webhooks: PaymentWebhooksService,
  ) {}

  @Post()
  @Authenticated()
  @Idempotent('payments.create')
  @ApiOperation({
    summary: 'Pay for your order',
    description:
      "The amount is always the order's total_amount (a client-sent `amount` → 400). Demo provider: `card` completes at once and confirms the order's pending parcels; `kaspi` stays `pending` until the provider's signed callback; `cash_on_delivery` stays `pending` until the order is delivered. A declined card → 201 with status `failed` and `failure_reason` (the order stays payable). Not your order → 404; a cancelled or refunded order → 409 ORDER_NOT_PAYABLE; a pending, processing or completed payment already exists (also when requests race) → 409 PAYMENT_EXISTS. The provider failing → 502 PAYMENT_PROVIDER_ERROR, not answering within PAYMENT_TIMEOUT_MS → 504 PAYMENT_PROVIDER_TIMEOUT; either way the payment is `failed`, nothing was charged, and a retry (even with the same Idempotency-Key) runs again.",
  })
  @ApiCreatedResponse({ type: PaymentResponse })
  @ApiErrors(400, 401, 404, 409, 502, 504)
  create(@CurrentUser() user: Actor, @Body() dto: CreatePaymentDto): Promise<PaymentResponse> {
    return this.payments.create(user, dto);
  }

  @Get('order/:order_id')
  @Authenticated()
  @ApiOperation({
    summary: "An order's payments, oldest first",
    description: 'The order owner and admins; anyone else → 404.',
  })
  @ApiOkResponse({ type: [PaymentResponse] })
  @ApiErrors(400, 401, 404)
  listForOrder(
    @CurrentUser() user: Actor,
    @Param('order_id', ParseUUIDPipe) orderId: string,
  ): Promise<PaymentResponse[]> {
    return this.payments.listForOrder(user, orderId);
  }

  @Get(':id')
  @Authenticated()
  @ApiOperation({ summary: 'One payment', description: 'The payer and admins; anyone else → 404.' })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(400, 401, 404)
  get(
    @CurrentUser() user: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PaymentResponse> {
    return this.payments.get(user, id);
  }

  @Post('webhooks/:provider')
  @Public()
  @HttpCode(200)
  @UseGuards(WebhookSignatureGuard)
  @ApiOperation({
    summary: 'Payment provider callback',
    description:
      'Signed by the provider: header `X-Signature` = lower-case hex HMAC-SHA256 of the raw request body with PAYMENT_WEBHOOK_SECRET (compared in constant time); missing or bad → 401. The demo provider answers on `kaspi`; another `{provider}` → 404. Only a pending or processing payment changes, so a replayed or out-of-order callback changes nothing and still answers 200 with the payment as it is. Unknown transaction → 404.',
  })
  @ApiParam({ name: 'provider', example: 'kaspi' })
  @ApiHeader({
    name: 'X-Signature',
    required: true,
    description: 'hex HMAC-SHA256 of the raw body',
  })
  @ApiOkResponse({ type: PaymentResponse })
  @ApiErrors(400, 401, 404)
  webhook(
    @Param('provider') provider: string,
    @Body() dto: PaymentWebhookDto,
  ): Promise<PaymentResponse> {
    return this.webhooks.handle(provider, dto);
  }
}
