/** The time claims a verified token's payload may carry (seconds since the epoch). */
export interface TimedClaims {
  exp?: number;
  nbf?: number;
}

/**
 * Payloads of tokens already verified, by the token's exact text, so that a token used again is
 * not checked again (its signature, issuer and audience cannot change: the same text verifies the
 * same way while the key is the same). Its times are checked on every use as jsonwebtoken checks
 * them: expired from the second `exp`, not valid before `nbf`. A payload without `exp` is not
 * kept. At most `max` tokens (a Map in insertion order: the oldest goes first).
 * The account and session behind a token are still checked on every request (their caches).
 */
export class VerifiedTokens<P extends TimedClaims> {
  private readonly kept = new Map<string, P>();

  constructor(
    private readonly max = 20_000,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The payload of this token if it was verified and is valid now; else undefined. */
  get(token: string): P | undefined {
    const p = this.kept.get(token);
    if (!p) return undefined;
    const now = Math.floor(this.nowMs() / 1000);
    if (now >= p.exp!) {
      this.kept.delete(token);
      return undefined;
    }
    return typeof p.nbf === 'number' && p.nbf > now ? undefined : p;
  }

  /** Keeps a payload that the verifier just accepted for this token. */
  set(token: string, payload: P): void {
    if (typeof payload.exp !== 'number') return;
    if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(token, payload);
  }

  get size(): number {
    return this.kept.size;
  }
}
