import { Global, Module } from '@nestjs/common';

import { OpenParcelReturns } from '../orders/open-parcel-returns';
import { ManualReturnRefunds } from '../payments/manual-return-refunds';
import { ReturnManualRefunds } from './adapters/return-manual-refunds';
import { OpenReturns } from './open-returns';
import { ReturnsModule } from './returns.module';

/**
 * The returns module's answer to a port the orders module owns, made visible to every module
 * (as `finance-wiring.module.ts` does for checkout's commission): the order workflow asks
 * `OpenParcelReturns` before refunding a parcel, and orders may not import returns (returns
 * imports orders). Likewise payments' `ManualReturnRefunds`: an admin marking a return's manual
 * refund paid through `/admin/refunds` moves the return (returns imports payments).
 */
@Global()
@Module({
  imports: [ReturnsModule],
  providers: [
    { provide: OpenParcelReturns, useExisting: OpenReturns },
    { provide: ManualReturnRefunds, useExisting: ReturnManualRefunds },
  ],
  exports: [OpenParcelReturns, ManualReturnRefunds],
})
export class ReturnsWiringModule {}
