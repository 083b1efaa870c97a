import { Metrics } from '../../observability/metrics';
import {
  HASH_SHARE_WINDOW_MS,
  hashSlots,
  OTHER_ANSWERS_PER_WINDOW,
  othersServed,
  TrafficWatch,
} from './hash-share';

describe('hashSlots', () => {
  it('uses every slot while hashing is all there is', () => {
    expect(hashSlots(2, 1, false)).toBe(2);
    expect(hashSlots(8, 3, false)).toBe(8);
  });

  it('leaves yieldCores to other requests, never fewer than one hash', () => {
    expect(hashSlots(2, 1, true)).toBe(1);
    expect(hashSlots(8, 3, true)).toBe(5);
    expect(hashSlots(2, 4, true)).toBe(1);
    expect(hashSlots(1, 1, true)).toBe(1);
    expect(hashSlots(4, 0, true)).toBe(4);
  });
});

describe('othersServed', () => {
  it('counts the answers beyond the hashes, past the noise of one window', () => {
    expect(othersServed(0, 0)).toBe(false);
    expect(othersServed(40, 40)).toBe(false); // a storm: every answer a login's
    expect(othersServed(42, 40)).toBe(false); // answers of hashes from the window before
    expect(othersServed(40 + OTHER_ANSWERS_PER_WINDOW, 40)).toBe(true);
    expect(othersServed(300, 0)).toBe(true);
    expect(othersServed(0, 12)).toBe(false); // hashes whose answers come later
  });
});

describe('TrafficWatch', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('judges each window by the HTTP answers since the last (Metrics.answered) against its hashes', () => {
    const metrics = new Metrics();
    const changes: boolean[] = [];
    const watch = new TrafficWatch(metrics, () => changes.push(watch.othersServed));
    const answer = (n: number) => {
      for (let i = 0; i < n; i++) metrics.observeRequest('GET', '/api/v1/products', 200, 0.001);
    };
    // answers before the watch started are not this window's
    expect(watch.othersServed).toBe(false);
    answer(10);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(watch.othersServed).toBe(true);
    // a storm alone: one answer per hash
    for (let i = 0; i < 20; i++) watch.hashAsked();
    answer(20);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(watch.othersServed).toBe(false);
    // the fast path's series count too (kept and observed without Metrics.observeRequest)
    const fast = metrics.httpSeries('GET', '/api/v1/products/:id', 200);
    for (let i = 0; i < OTHER_ANSWERS_PER_WINDOW; i++) fast.observe(0.0005);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(watch.othersServed).toBe(true);
    // a quiet window: back to every slot
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS);
    expect(watch.othersServed).toBe(false);
    expect(changes).toEqual([true, false, true, false]);
    expect(metrics.answered).toBe(33);
    watch.stop();
  });

  it('sees other traffic inside a window when a hash is asked for, without waiting for the look', () => {
    const metrics = new Metrics();
    const watch = new TrafficWatch(metrics, () => undefined);
    jest.advanceTimersByTime(HASH_SHARE_WINDOW_MS); // a quiet window
    for (let i = 0; i < OTHER_ANSWERS_PER_WINDOW; i++) {
      metrics.observeRequest('GET', '/api/v1/products', 200, 0.001);
    }
    expect(watch.othersServed).toBe(false); // nothing looked yet
    watch.hashAsked(); // 3 answers, 1 hash: not yet beyond the noise
    expect(watch.othersServed).toBe(false);
    metrics.observeRequest('GET', '/api/v1/products', 200, 0.001);
    watch.hashAsked();
    expect(watch.othersServed).toBe(false); // 4 answers, 2 hashes
    metrics.observeRequest('GET', '/api/v1/products', 200, 0.001);
    metrics.observeRequest('GET', '/api/v1/products', 200, 0.001);
    watch.hashAsked();
    expect(watch.othersServed).toBe(true); // 6 answers, 3 hashes
    watch.stop();
  });
});
