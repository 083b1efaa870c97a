/** A rate limit as configured: at most `points` counted events per `durationSeconds` window. */
export interface RateLimitValue {
  points: number;
  durationSeconds: number;
}

const UNIT_SECONDS = { '': 1, s: 1, m: 60, h: 3600, d: 86400 } as const;

/**
 * Parses a limit written `COUNT/DURATION` (`10/1h`, `5/15m`, `100/30s`, `3/1d`; a bare number of
 * seconds works too: `10/3600`). Returns null for anything else: a count below 1 or above
 * 1,000,000, a zero duration, or a duration longer than 366 days.
 */
export function parseRateLimit(raw: string): RateLimitValue | null {
  const m = /^\s*(\d{1,7})\s*\/\s*(\d{1,9})([smhd]?)\s*$/.exec(raw);
  if (!m) return null;
  const points = Number(m[1]);
  const durationSeconds = Number(m[2]) * UNIT_SECONDS[m[3] as keyof typeof UNIT_SECONDS];
  if (points < 1 || points > 1_000_000) return null;
  if (durationSeconds < 1 || durationSeconds > 366 * 86400) return null;
  return { points, durationSeconds };
}
