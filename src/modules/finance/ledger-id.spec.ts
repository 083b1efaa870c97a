import { ledgerId } from './ledger-id';

describe('ledgerId', () => {
  it('is a version-7 UUID', () => {
    expect(ledgerId()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('sorts in the order made, within one millisecond and across them', () => {
    const t = Date.now() + 10_000;
    const ids = [ledgerId(t), ledgerId(t), ledgerId(t), ledgerId(t + 1), ledgerId(t + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the order past 4096 in one millisecond and when the clock steps back', () => {
    const t = Date.now() + 20_000;
    const ids = Array.from({ length: 5000 }, () => ledgerId(t));
    ids.push(ledgerId(t - 5)); // a clock step back still sorts after what came before
    expect([...ids].sort()).toEqual(ids);
  });
});
