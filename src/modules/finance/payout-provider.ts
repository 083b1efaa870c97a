/** One payout as a provider needs it. Amounts are integer tiyn. */
export interface PayoutInstruction {
  /** Our payout id: unique, a provider should use it to deduplicate a repeated send. */
  payoutId: string;
  amount: number;
  currency: 'KZT';
  recipient: string;
  binIin: string;
  iban: string;
  bik: string;
  kbe: string;
  knp: string;
  purpose: string;
}

/**
 * What became of one payout. `pending`: the money is not confirmed yet (the manual adapter always
 * answers this; an admin marks it paid or failed from the bank's statement); `paid` with the bank's
 * reference; `failed` with a reason (the money returns to the seller's balance). A rejected payout
 * is a result; a provider throws only when its own infrastructure fails, and the payouts then stay
 * `pending` for an admin to settle.
 */
export interface PayoutResult {
  payoutId: string;
  status: 'pending' | 'paid' | 'failed';
  bankReference?: string;
  failureReason?: string;
}

/**
 * The payout provider port and its injection token. `PayoutsService` calls `send` once per batch,
 * after the batch and its ledger entries have committed, outside any transaction; it then applies
 * the results (paid → mail the seller; failed → a `payout_reversal` entry). Adapters: `manual`
 * (the bank register CSV, settled by hand) and `demo` (pays at once). A bank API adapter
 * implements `send` and joins the factory in `payout-adapters.ts`.
 */
export abstract class PayoutProvider {
  /** The adapter's name, stored on each batch (`payout_batches.provider`). */
  abstract readonly name: string;

  /** Hands the batch's payouts to the bank; one result per instruction. */
  abstract send(payouts: PayoutInstruction[]): Promise<PayoutResult[]>;
}
