import { PeriodicPass } from './periodic-pass';

describe('PeriodicPass', () => {
  const logger = () => ({ warn: jest.fn() });

  it('shares the running pass between overlapping calls', async () => {
    let release!: () => void;
    const pass = jest.fn(() => new Promise<void>((r) => (release = r)));
    const p = new PeriodicPass('sweep', pass, logger());
    const a = p.run();
    const b = p.run();
    expect(a).toBe(b);
    release();
    await a;
    expect(pass).toHaveBeenCalledTimes(1);
    const c = p.run(); // a new pass once the last one ended
    expect(c).not.toBe(a);
    release();
    await c;
    expect(pass).toHaveBeenCalledTimes(2);
  });

  it('logs a failed pass, resolves, and tries again next time', async () => {
    const log = logger();
    const pass = jest.fn().mockRejectedValueOnce(new Error('db busy')).mockResolvedValue(1);
    const p = new PeriodicPass('purge', pass, log);
    await expect(p.run()).resolves.toBeUndefined();
    expect(log.warn).toHaveBeenCalledWith('purge failed: db busy');
    await p.run();
    expect(pass).toHaveBeenCalledTimes(2);
  });

  it('stop waits for the running pass and starts none after', async () => {
    let release!: () => void;
    const pass = jest.fn(() => new Promise<void>((r) => (release = r)));
    const p = new PeriodicPass('sweep', pass, logger());
    void p.run();
    let stopped = false;
    const stopping = p.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect([stopped, p.stopped]).toEqual([false, true]);
    release();
    await stopping;
    await p.run();
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('runs on its timer, and once at start when asked', () => {
    jest.useFakeTimers();
    try {
      const pass = jest.fn(async () => undefined);
      const p = new PeriodicPass('sweep', pass, logger());
      p.start(1000, { now: true });
      jest.runOnlyPendingTimers(); // the immediate and the first tick
      expect(pass.mock.calls.length).toBeGreaterThanOrEqual(1);
      void p.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
