import { Module } from '@nestjs/common';

import { OrdersModule } from '../orders/orders.module';
import { UsersModule } from '../users/users.module';
import { AdminRefundsController } from './admin-refunds.controller';
import { AdminRefundsService } from './admin-refunds.service';
import { ParcelRefunds } from './parcel-refunds.service';
import { PaymentEffectsListener } from './payment-effects.listener';
import { PaymentMetrics } from './payment-metrics';
import { PaymentNotifier } from './payment-notifier';
import { paymentProviderFactory } from './payment-provider.factory';
import { PaymentRecovery } from './payment-recovery.service';
import { PaymentRefundsRepository } from './payment-refunds.repository';
import { PaymentRefundsService } from './payment-refunds.service';
import { PaymentSettlement } from './payment-settlement.service';
import { PaymentWebhooksService } from './payment-webhooks.service';
import { PaymentsController } from './payments.controller';
import { PaymentsRepository } from './payments.repository';
import { PaymentsService } from './payments.service';
import { WebhookSignatureGuard } from './webhook-signature.guard';

@Module({
  imports: [OrdersModule, UsersModule],
  controllers: [PaymentsController, AdminRefundsController],
  providers: [
    paymentProviderFactory,
    PaymentMetrics,
    PaymentsRepository,
    PaymentNotifier,
    PaymentsService,
    PaymentSettlement,
    PaymentWebhooksService,
    PaymentEffectsListener,
    PaymentRecovery,
    WebhookSignatureGuard,
    PaymentRefundsRepository,
    PaymentRefundsService,
    ParcelRefunds,
    AdminRefundsService,
  ],
  exports: [PaymentsService, PaymentRefundsService],
})
export class PaymentsModule {}
