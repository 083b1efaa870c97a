import { BoundedSlots } from './bounded-slots';

describe('BoundedSlots', () => {
  it('runs at most `concurrency` at once, queues `queue` more, refuses the next at once', async () => {
    const slots = new BoundedSlots(2, 3, () => new Error('busy'));
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const op = () =>
      slots.run(async () => {
        peak = Math.max(peak, ++running);
        await new Promise<void>((r) => gates.push(r));
        running--;
        return 'done';
      });
    const calls = Array.from({ length: 5 }, op);
    await new Promise((r) => setImmediate(r));
    expect(slots.load).toEqual({ running: 2, waiting: 3 });
    await expect(op()).rejects.toThrow('busy');
    while (gates.length) {
      gates.splice(0).forEach((g) => g());
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(calls)).toEqual(Array(5).fill('done'));
    expect(peak).toBe(2);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the slot back when an operation fails', async () => {
    const slots = new BoundedSlots(1, 0, () => new Error('busy'));
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });
});
