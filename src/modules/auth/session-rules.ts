import type { Session } from './auth.entities';

type Account = { id: string; tokenVersion: number };

/**
 * Whether a session's access tokens still work (the guard): it is this account's, it has not
 * ended, and the account's token version has not moved since the login. Expiry is not asked: an
 * access token is only issued while its session is unexpired and lives JWT_EXPIRES_IN at most.
 */
export function sessionAdmits(
  s: Pick<Session, 'userId' | 'revokedAt' | 'tokenVersion'>,
  account: Account,
): boolean {
  return s.userId === account.id && s.revokedAt === null && s.tokenVersion === account.tokenVersion;
}

/** Whether a session may be refreshed: it admits its tokens and has not expired. */
export function sessionWorks(
  s: Pick<Session, 'userId' | 'revokedAt' | 'expiresAt' | 'tokenVersion'>,
  account: Account,
  now: Date,
): boolean {
  return sessionAdmits(s, account) && new Date(s.expiresAt).getTime() > now.getTime();
}
