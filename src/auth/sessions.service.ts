import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Errors } from '../common/errors/api-exception';
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
              AND u.id = rt.user_id AND u.disabled_at IS NULL
          RETURNING rt.session_id, rt.user_id, u.token_version`,
        [hash],
      );
      // TypeORM returns [rows, count] for UPDATE … RETURNING on pg.
      const row = unwrapReturning<{ session_id: string; user_id: string; token_version: number }>(
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

    const revoked = unwrapReturning<{ id: string; user_id: string }>(
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

/** TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with `[rows, affected]`. */
export function unwrapReturning<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return result[0] as T[];
  }
  return Array.isArray(result) ? (result as T[]) : [];
}
