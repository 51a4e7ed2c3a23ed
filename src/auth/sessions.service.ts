import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Errors } from '../common/errors/api-exception';
import { returningRows } from '../database/returning';
import { AppConfig } from '../config/app-config';
import { AccessTokenSigner } from './jwt/access-token.signer';
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from './opaque-tokens';
import type { Principal } from './principal';

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly tokenType: 'Bearer';
}

export type SessionMethod = 'password' | 'magic_link' | 'invitation';

/**
 * Login sessions and their refresh-token families. A session is revoked by setting
 * `revoked_at`; access tokens name it in `sid` and are checked against it on every request,
 * so a logout takes effect at once on every instance.
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly signer: AccessTokenSigner,
    private readonly config: AppConfig,
  ) {}

  /** Opens a session for a user already authenticated by the caller; one round trip. */
  async start(userId: string, method: SessionMethod, manager?: EntityManager): Promise<TokenPair> {
    const refreshToken = newOpaqueToken();
    const rows: { session_id: string; token_version: number }[] = await (
      manager ?? this.dataSource.manager
    ).query(
      `WITH s AS (
         INSERT INTO auth_sessions (user_id, method) VALUES ($1, $2) RETURNING id, user_id
       ), r AS (
         INSERT INTO refresh_tokens (session_id, user_id, token_hash, expires_at)
         SELECT s.id, s.user_id, $3, now() + make_interval(secs => $4) FROM s
         RETURNING session_id
       )
       SELECT r.session_id, u.token_version FROM r JOIN s ON s.id = r.session_id
         JOIN users u ON u.id = s.user_id`,
      [userId, method, hashOpaqueToken(refreshToken), this.config.env.JWT_REFRESH_TTL],
    );
    const row = rows[0];
    if (!row) throw new Error('Session insert returned no row');
    return this.pair(userId, row.session_id, row.token_version, refreshToken);
  }

  /**
   * Rotation: the presented token is spent and a new one issued in the same family, with an
   * access token at the user's current token_version (so role changes show up here). A spent
   * token presented again means it leaked (or a client raced itself): the whole family dies.
   * A session older than SESSION_MAX_AGE is not refreshed, however recently it was used: the
   * user logs in again (its last access token lives out its JWT_ACCESS_TTL at most).
   */
  async refresh(presented: string): Promise<TokenPair> {
    if (!looksLikeOpaqueToken(presented)) throw Errors.unauthenticated('Invalid refresh token');
    const hash = hashOpaqueToken(presented);
    const next = newOpaqueToken();
    const pair = await this.dataSource.transaction(async (em) => {
      const spent: unknown = await em.query(
        `UPDATE refresh_tokens rt SET spent_at = now()
             FROM auth_sessions s, users u
            WHERE rt.token_hash = $1 AND rt.spent_at IS NULL AND rt.expires_at > now()
              AND s.id = rt.session_id AND s.revoked_at IS NULL
              AND s.created_at > now() - make_interval(secs => $2)
              AND u.id = rt.user_id AND u.disabled_at IS NULL
          RETURNING rt.session_id, rt.user_id, u.token_version`,
        [hash, this.config.env.SESSION_MAX_AGE],
      );
      // TypeORM returns [rows, count] for UPDATE … RETURNING on pg.
      const row = returningRows<{ session_id: string; user_id: string; token_version: number }>(
        spent,
      )[0];
      if (!row) return null;
      await em.query(
        `INSERT INTO refresh_tokens (session_id, user_id, token_hash, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
        [row.session_id, row.user_id, hashOpaqueToken(next), this.config.env.JWT_REFRESH_TTL],
      );
      return this.pair(row.user_id, row.session_id, row.token_version, next);
    });
    if (pair) return pair;

    const revoked = returningRows<{ id: string; user_id: string }>(
      await this.dataSource.query(
        `UPDATE auth_sessions s SET revoked_at = now(), revoke_reason = 'refresh_reuse'
           FROM refresh_tokens rt
          WHERE rt.token_hash = $1 AND rt.spent_at IS NOT NULL
            AND s.id = rt.session_id AND s.revoked_at IS NULL
        RETURNING s.id, s.user_id`,
        [hash],
      ),
    );
    for (const s of revoked) {
      this.logger.warn(
        { sessionId: s.id, userId: s.user_id },
        'Spent refresh token presented again: session revoked',
      );
    }
    throw Errors.unauthenticated('Invalid refresh token');
  }

  /** Ends the caller's session (and the one `refreshToken` belongs to, if it is theirs). */
  async logout(principal: Principal, refreshToken?: string): Promise<void> {
    const hash =
      refreshToken && looksLikeOpaqueToken(refreshToken) ? hashOpaqueToken(refreshToken) : null;
    await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = 'logout'
        WHERE user_id = $1 AND revoked_at IS NULL
          AND (id = $2 OR id IN (SELECT session_id FROM refresh_tokens WHERE token_hash = $3))`,
      [principal.id, principal.sessionId, hash],
    );
  }

  /** The caller's active sessions, newest first (ASVS 7.5.2). */
  async list(principal: Principal): Promise<{ items: SessionView[]; nextCursor: null }> {
    const rows: { id: string; method: string; created_at: Date; last_used_at: Date }[] =
      await this.dataSource.query(
        `SELECT s.id, s.method, s.created_at,
                COALESCE((SELECT max(r.created_at) FROM refresh_tokens r WHERE r.session_id = s.id), s.created_at) AS last_used_at
           FROM auth_sessions s
          WHERE s.user_id = $1 AND s.revoked_at IS NULL
            AND s.created_at > now() - make_interval(secs => $2)
            AND EXISTS (SELECT 1 FROM refresh_tokens r
                         WHERE r.session_id = s.id AND r.spent_at IS NULL AND r.expires_at > now())
          ORDER BY s.created_at DESC, s.id DESC`,
        [principal.id, this.config.env.SESSION_MAX_AGE],
      );
    return {
      items: rows.map((r) => ({
        id: r.id,
        method: r.method,
        createdAt: new Date(r.created_at).toISOString(),
        lastUsedAt: new Date(r.last_used_at).toISOString(),
        current: r.id === principal.sessionId,
      })),
      nextCursor: null,
    };
  }

  /** Ends one of the caller's sessions; another user's session is "not found". */
  async revoke(principal: Principal, sessionId: string): Promise<void> {
    const result: unknown = await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = 'logout'
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [sessionId, principal.id],
    );
    if (returningRows(result).length === 0) throw Errors.notFound('No such session');
  }

  private pair(
    userId: string,
    sessionId: string,
    tokenVersion: number,
    refreshToken: string,
  ): TokenPair {
    const access = this.signer.sign({ userId, sessionId, tokenVersion });
    return {
      accessToken: access.token,
      refreshToken,
      expiresIn: access.expiresIn,
      tokenType: 'Bearer',
    };
  }
}

export interface SessionView {
  readonly id: string;
  readonly method: string;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  readonly current: boolean;
}
