import type { Session } from './auth.entities';

/** What decides whether a session still works: pure, for the guard, refresh and the list. */
export function sessionWorks(
  s: Pick<Session, 'userId' | 'revokedAt' | 'expiresAt' | 'tokenVersion'>,
  account: { id: string; tokenVersion: number },
  now: Date,
): boolean {
  return (
    s.userId === account.id &&
    s.revokedAt === null &&
    new Date(s.expiresAt).getTime() > now.getTime() &&
    s.tokenVersion === account.tokenVersion
  );
}
