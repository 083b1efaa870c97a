import type { Provider } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { DemoPaymentProvider } from './demo-payment-provider';
import { PaymentProvider } from './payment-provider';

/** Picks the adapter from validated config (`PAYMENT_PROVIDER`); add real adapters here. */
export const paymentProviderFactory: Provider = {
  provide: PaymentProvider,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): PaymentProvider => {
    switch (config.payments.provider) {
      case 'demo':
        return new DemoPaymentProvider(config.payments.webhookSecret, {
          journal: config.payments.demoJournal,
          refundDelayMs: config.payments.demoRefundDelayMs,
        });
    }
  },
};
