import { randomBytes } from 'node:crypto';

import type { Provider } from '@nestjs/common';

import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/app-config';
import { PayoutInstruction, PayoutProvider, PayoutResult } from './payout-provider';

/** Payouts by hand: the admin downloads the bank register and marks each payout paid or failed. */
export class ManualPayoutProvider extends PayoutProvider {
  readonly name = 'manual';

  send(payouts: PayoutInstruction[]): Promise<PayoutResult[]> {
    return Promise.resolve(payouts.map((p) => ({ payoutId: p.payoutId, status: 'pending' })));
  }
}

/** Pays every payout at once with a made-up bank reference (tests and demos). */
export class DemoPayoutProvider extends PayoutProvider {
  readonly name = 'demo';

  send(payouts: PayoutInstruction[]): Promise<PayoutResult[]> {
    return Promise.resolve(
      payouts.map((p) => ({
        payoutId: p.payoutId,
        status: 'paid',
        bankReference: `DEMO-${randomBytes(6).toString('hex').toUpperCase()}`,
      })),
    );
  }
}

/** Picks the adapter from validated config (`PAYOUT_PROVIDER`); add a bank's adapter here. */
export const payoutProviderFactory: Provider = {
  provide: PayoutProvider,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): PayoutProvider => {
    switch (config.finance.payoutProvider) {
      case 'manual':
        return new ManualPayoutProvider();
      case 'demo':
        return new DemoPayoutProvider();
    }
  },
};
