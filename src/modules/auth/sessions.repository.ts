import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { EntityVersion } from '../../database/entity-version';
import type { ColumnOf } from '../../database/sql';
import { deleteSome, insertValues, isPostgres, rows, sqlDate, sqlTime } from '../../database/sql';
import type { Tx } from '../../database/unit-of-work';
import type { SessionEndReason } from './auth.entities';
import { RefreshToken, Session } from './auth.entities';

/** A refresh token found by its hash, with the session it belongs to. */
export interface PresentedToken {
  usedAt: Date | null;
  session: Session;
}

interface SessionRow {
  id: string;
  user_id: string;
  token_version: number | string;
  user_agent: string | null;
  ip: string | null;
  created_at: unknown;
  last_used_at: unknown;
  expires_at: unknown;
  revoked_at: unknown;
  revoked_reason: SessionEndReason | null;
}
const toSession = (r: SessionRow): Session =>
  Object.assign(new Session(), {
    id: r.id,
    userId: r.user_id,
    tokenVersion: Number(r.token_version),
    userAgent: r.user_agent,
    ip: r.ip,
    createdAt: sqlDate(r.created_at),
    lastUsedAt: sqlDate(r.last_used_at),
    expiresAt: sqlDate(r.expires_at),
    revokedAt: r.revoked_at === null ? null : sqlDate(r.revoked_at),
    revokedReason: r.revoked_reason,
  });

const SESSION_COLUMNS: readonly ColumnOf<Session>[] = [
  ['id', 'id'],
  ['user_id', 'userId'],
  ['token_version', 'tokenVersion'],
  ['user_agent', 'userAgent'],
  ['ip', 'ip'],
  ['created_at', 'createdAt'],
  ['last_used_at', 'lastUsedAt'],
  ['expires_at', 'expiresAt'],
  ['revoked_at', 'revokedAt'],
  ['revoked_reason', 'revokedReason'],
];
const SESSION_SELECT = SESSION_COLUMNS.map(([c]) => `"${c}"`).join(', ');
const TOKEN_COLUMNS: readonly ColumnOf<RefreshToken>[] = [
  ['token_hash', 'tokenHash'],
  ['session_id', 'sessionId'],
  ['created_at', 'createdAt'],
  ['used_at', 'usedAt'],
];

/** Every query on `sessions` and `refresh_tokens`. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /**
   * The session a token names (SessionCache's read, every request of a session not yet cached):
   * one statement of fixed text, mapped by hand to a `Session` equal to what TypeORM hydrates
   * (tested), without its query building and hydration.
   */
  async findById(id: string): Promise<Session | null> {
    const m = this.ds.manager;
    const [r] = (await m.query(
      `SELECT ${SESSION_SELECT} FROM "sessions" WHERE "id" = ${isPostgres(m) ? '$1' : '?'}`,
      [id],
    )) as SessionRow[];
    return r ? toSession(r) : null;
  }

  /**
   * A session and its first refresh token, in the caller's transaction (every login): two
   * INSERTs of fixed text instead of TypeORM's insert building, then the AfterInsert events it
   * would broadcast, so the session cache's EntityVersion still sees both writes (on PostgreSQL
   * the tables' triggers send the NOTIFY for other processes either way).
   */
  async start(tx: Tx, session: Session, tokenHash: string): Promise<void> {
    if (!tx.queryRunner) throw new Error('start runs inside a transaction');
    const token: RefreshToken = Object.assign(new RefreshToken(), {
      tokenHash,
      sessionId: session.id,
      createdAt: session.createdAt,
      usedAt: null,
    });
    await insertValues(tx, 'sessions', SESSION_COLUMNS, [session], { now: true });
    await insertValues(tx, 'refresh_tokens', TOKEN_COLUMNS, [token], { now: true });
    const b = tx.queryRunner.broadcaster;
    await b.broadcast('AfterInsert', tx.connection.getMetadata(Session), session);
    await b.broadcast('AfterInsert', tx.connection.getMetadata(RefreshToken), token);
  }

  /** The refresh token with this hash and its session (null: no such token was ever issued). */
  async presented(tx: Tx, tokenHash: string): Promise<PresentedToken | null> {
    const token = await tx.findOneBy(RefreshToken, { tokenHash });
    if (!token) return null;
    const session = await tx.findOneBy(Session, { id: token.sessionId });
    return session ? { usedAt: token.usedAt, session } : null;
  }

  /**
   * Marks a refresh token used, only if it was not: false when another request used it first
   * (on PostgreSQL the second UPDATE waits for the first to commit and then matches no row).
   */
  async use(tx: Tx, tokenHash: string, at: Date): Promise<boolean> {
    const res = await tx
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: at })
      .where('token_hash = :tokenHash AND used_at IS NULL', { tokenHash })
      .execute();
    return res.affected === 1;
  }

  /**
   * The session's next refresh token; the session was used now and lives until `expiresAt`.
   *
   * The sessions row is moved with plain SQL on purpose: the subscriber behind SessionCache does
   * not see it, so a refresh (every JWT_EXPIRES_IN, per client) does not invalidate the cache of
   * every other session. It may: the guard reads only `user_id`, `token_version` and
   * `revoked_at`, which only `start` and `end` write (through TypeORM, so the cache sees those).
   */
  async rotate(
    tx: Tx,
    sessionId: string,
    tokenHash: string,
    at: Date,
    expiresAt: Date,
  ): Promise<void> {
    await tx.insert(RefreshToken, { tokenHash, sessionId, createdAt: at, usedAt: null });
    const pg = this.ds.options.type === 'postgres';
    await rows(
      this.ds,
      tx,
      'UPDATE sessions SET last_used_at = :at, expires_at = :expiresAt WHERE id = :sessionId',
      { at: sqlTime(pg, at), expiresAt: sqlTime(pg, expiresAt), sessionId },
    );
  }

  /**
   * Ends sessions of a user that have not ended (nor expired): one (`only`), all but one (`except`), or all.
   * Answers how many ended.
   */
  async end(
    tx: Tx,
    userId: string,
    reason: SessionEndReason,
    at: Date,
    which: { only?: string; except?: string } = {},
  ): Promise<number> {
    const qb = tx
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at, revokedReason: reason })
      .where('user_id = :userId AND revoked_at IS NULL AND expires_at > :at', { userId, at });
    if (which.only) qb.andWhere('id = :only', { only: which.only });
    if (which.except) qb.andWhere('id <> :except', { except: which.except });
    const res = await qb.execute();
    return res.affected ?? 0;
  }

  /** The sessions of a user that still work (not ended, not expired, current token version). */
  live(userId: string, tokenVersion: number, now: Date): Promise<Session[]> {
    return this.ds.manager
      .createQueryBuilder(Session, 's')
      .where('s.user_id = :userId AND s.revoked_at IS NULL', { userId })
      .andWhere('s.expires_at > :now AND s.token_version = :tv', { now, tv: tokenVersion })
      .orderBy('s.last_used_at', 'DESC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  /**
   * Deletes up to `limit` sessions that expired or ended before `before` (their refresh tokens go
   * with them: ON DELETE CASCADE); answers how many. Such a session is refused either way, so no
   * cached token check changes.
   */
  purgeEnded(tx: Tx, before: Date, limit: number): Promise<number> {
    return deleteSome(
      tx,
      Session,
      { column: 'id', property: 'id' },
      'r.expires_at < :before OR r.revoked_at < :before',
      { before },
      limit,
    );
  }

  /** A version of `sessions` that moves on every write to it, for the cache of token checks. */
  watchTable(): EntityVersion<Session> {
    return new EntityVersion(this.ds, Session);
  }
}
