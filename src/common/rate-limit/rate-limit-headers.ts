import type { PartitionState } from './rate-limits.service';

/**
 * The `RateLimit-Policy` and `RateLimit` fields of the IETF draft "RateLimit header fields for
 * HTTP" (draft-ietf-httpapi-ratelimit-headers-10): one list item per partition, named by the
 * policy; `q` the quota and `w` the window in seconds, `r` what remains and `t` the seconds until
 * the window ends.
 *
 *     RateLimit-Policy: "register-client";q=10;w=3600
 *     RateLimit: "register-client";r=7;t=3412
 */
export function rateLimitHeaders(states: PartitionState[]): Record<string, string> {
  if (!states.length) return {};
  return {
    'RateLimit-Policy': states
      .map(
        (s) =>
          `"${s.partition.name}";q=${s.partition.limit.points};w=${s.partition.limit.durationSeconds}`,
      )
      .join(', '),
    RateLimit: states
      .map((s) => `"${s.partition.name}";r=${s.remaining};t=${s.resetSeconds}`)
      .join(', '),
  };
}
