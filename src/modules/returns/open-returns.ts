import { Injectable } from '@nestjs/common';

import type { Tx } from '../../database/unit-of-work';
import type { OpenParcelReturn } from '../orders/open-parcel-returns';
import { OpenParcelReturns } from '../orders/open-parcel-returns';
import type { ReturnStatus } from './return-workflow';
import { ReturnsRepository } from './returns.repository';

/** Returns still on their way to a decision or a refund: their lines' money is theirs. */
export const OPEN_RETURN_STATUSES: readonly ReturnStatus[] = [
  'requested',
  'approved',
  'escalated',
  'received',
];

/** The returns module's answer to the order workflow's `OpenParcelReturns`. */
@Injectable()
export class OpenReturns extends OpenParcelReturns {
  constructor(private readonly repo: ReturnsRepository) {
    super();
  }

  async openReturnOf(tx: Tx, fulfillmentIds: string[]): Promise<OpenParcelReturn | null> {
    const [open] = await this.repo.withStatusOf(tx, fulfillmentIds, OPEN_RETURN_STATUSES);
    return open ? { returnId: open.id, status: open.status } : null;
  }
}
