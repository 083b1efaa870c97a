import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEMO_CARDS, DemoPaymentProvider } from './demo-payment-provider';
import type { ChargeRequest } from './payment-provider';
import { ProviderTimeoutError, withTimeout } from './provider-call';
import { signBody, verifySignature } from './webhook-signature';

const req = (o: Partial<ChargeRequest> = {}): ChargeRequest => ({
  reference: 'ref_1',
  orderId: 'o1',
  amount: 1000,
  currency: 'KZT',
  method: 'card',
  ...o,
});

describe('DemoPaymentProvider', () => {
  const demo = new DemoPaymentProvider('s3cret');

  it('completes a card at once, declines the test card, fails on the error card', async () => {
    const ok = await demo.charge(req());
    expect(ok.status).toBe('completed');
    expect(ok.transaction_id).toMatch(/^demo_card_[0-9a-f]{24}$/);
    expect(await demo.charge(req({ cardToken: DEMO_CARDS.declined }))).toMatchObject({
      status: 'failed',
      failure_reason: 'card_declined',
    });
    await expect(demo.charge(req({ cardToken: DEMO_CARDS.providerError }))).rejects.toThrow();
  });

  it('leaves kaspi and cash on delivery pending, with distinct transaction ids', async () => {
    const a = await demo.charge(req({ method: 'kaspi' }));
    const b = await demo.charge(req({ method: 'cash_on_delivery' }));
    expect([a.status, b.status]).toEqual(['pending', 'pending']);
    expect(a.transaction_id).not.toBe(b.transaction_id);
  });

  it('verifies HMAC-SHA256 hex signatures of the raw body only', () => {
    const body = Buffer.from('{"transaction_id":"t","status":"completed"}');
    const sig = signBody('s3cret', body);
    expect(demo.verifyCallback(body, sig)).toBe(true);
    expect(demo.verifyCallback(body, sig.toUpperCase())).toBe(true);
    expect(demo.verifyCallback(body, undefined)).toBe(false);
    expect(demo.verifyCallback(body, '')).toBe(false);
    expect(demo.verifyCallback(body, sig.slice(1))).toBe(false);
    expect(demo.verifyCallback(Buffer.from(body.toString() + ' '), sig)).toBe(false);
    expect(demo.verifyCallback(body, signBody('other', body))).toBe(false);
    expect(verifySignature('s3cret', undefined, sig)).toBe(false);
  });
});

describe('withTimeout', () => {
  it('passes a prompt answer through', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000)).resolves.toBe(7);
  });

  it('gives up after the limit and hands the late answer to onLate', async () => {
    let answer!: (v: number) => void;
    const slow = new Promise<number>((r) => (answer = r));
    const late = jest.fn();
    await expect(withTimeout(slow, 20, late)).rejects.toBeInstanceOf(ProviderTimeoutError);
    expect(late).not.toHaveBeenCalled();
    answer(42);
    await slow;
    await new Promise((r) => setImmediate(r));
    expect(late).toHaveBeenCalledWith(42);
  });

  it('refunds once per idempotency key; with a journal, also across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-journal-'));
    try {
      const journal = join(dir, 'journal.jsonl');
      const refund = { transactionId: 'demo_card_1', amount: 700_00, method: 'card' as const };
      const first = new DemoPaymentProvider('s', { journal });
      const a = await first.refund({ ...refund, reference: 'ret-1' });
      expect(await first.refund({ ...refund, reference: 'ret-1' })).toEqual(a);
      // a new process reads the journal: the key is known, no second refund
      const second = new DemoPaymentProvider('s', { journal });
      expect(await second.refund({ ...refund, reference: 'ret-1' })).toEqual(a);
      const b = await second.refund({ ...refund, reference: 'ret-2' });
      expect(b.refund_id).not.toBe(a.refund_id);
      const lines = readFileSync(journal, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.kind, l.reference])).toEqual([
        ['refund', 'ret-1'],
        ['replay', 'ret-1'],
        ['replay', 'ret-1'],
        ['refund', 'ret-2'],
      ]);
      // without a journal the keys are kept in memory only
      const plain = new DemoPaymentProvider('s');
      const c = await plain.refund({ ...refund, reference: 'ret-1' });
      expect(await plain.refund({ ...refund, reference: 'ret-1' })).toEqual(c);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
