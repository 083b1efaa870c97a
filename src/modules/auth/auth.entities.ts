import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import { timestampColumn } from '../../database/column-types';

/** Why a session ended (`revoked_reason`). */
export type SessionEndReason =
  | 'logout'
  | 'logout_all'
  | 'revoked'
  | 'reuse'
  | 'password_change'
  | 'password_reset'
  | 'account_changed';

/**
 * One sign-in (a device): started by a login, kept alive by refreshes, ended by a logout, a
 * revoke, a password change or reset, or a refresh token used twice. Access tokens name it
 * (`sid`); the guard refuses a token whose session ended. `token_version` is the account's token
 * version at the login: when the account's moves (block, role change), the session is over.
 */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Index('ix_sessions_user')
  @Column({ type: 'uuid' })
  userId: string;
  @Column({ type: 'integer' }) tokenVersion: number;
  @Column({ type: 'varchar', length: 256, nullable: true }) userAgent: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column(timestampColumn()) createdAt: Date;
  @Column(timestampColumn()) lastUsedAt: Date;
  /** When the newest refresh token stops working (each refresh moves it). */
  @Column(timestampColumn()) expiresAt: Date;
  @Column(timestampColumn({ nullable: true })) revokedAt: Date | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) revokedReason: SessionEndReason | null;
}

/**
 * Every refresh token a session was given, by the SHA-256 of the token (the token itself is never
 * stored). The newest has `used_at` null; a token presented again after its use proves a copy
 * exists, and ends the session.
 */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryColumn({ type: 'varchar', length: 64 }) tokenHash: string;
  @Index('ix_refresh_tokens_session')
  @Column({ type: 'uuid' })
  sessionId: string;
  @Column(timestampColumn()) createdAt: Date;
  @Column(timestampColumn({ nullable: true })) usedAt: Date | null;
}

export type AccountTokenPurpose = 'password_reset' | 'email_verify';

/** A mailed single-use link (password reset, email verification), by the SHA-256 of its token. */
@Entity('account_tokens')
@Index('ix_account_tokens_user', ['userId', 'purpose'])
export class AccountToken {
  @PrimaryColumn({ type: 'varchar', length: 64 }) tokenHash: string;
  @Column({ type: 'uuid' }) userId: string;
  @Column({ type: 'varchar', length: 16 }) purpose: AccountTokenPurpose;
  @Column(timestampColumn()) createdAt: Date;
  @Column(timestampColumn()) expiresAt: Date;
  @Column(timestampColumn({ nullable: true })) usedAt: Date | null;
}
