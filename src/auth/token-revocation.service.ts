import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * What other modules call when a user's access must change (API.md "Role changes"). Pass the
 * caller's transaction manager so the revocation commits (or rolls back) with the change.
 */
@Injectable()
export class TokenRevocationService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Role change (tier, expiry, platform role, tenancy, seat): every access token of the user
   * answers 401 at once; refresh tokens keep working and yield tokens with the new roles.
   */
  async bumpTokenVersion(userId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `UPDATE users SET token_version = token_version + 1 WHERE id = $1`,
      [userId],
    );
  }

  /**
   * Disable / logout-all: every session is revoked (refresh tokens die) and the token version
   * is bumped (access tokens die, whichever session they name).
   */
  async revokeAllSessions(
    userId: string,
    manager?: EntityManager,
    reason: 'logout_all' | 'revoked' = 'revoked',
  ): Promise<void> {
    const run = async (em: EntityManager): Promise<void> => {
      await em.query(
        `UPDATE auth_sessions SET revoked_at = now(), revoke_reason = $2
          WHERE user_id = $1 AND revoked_at IS NULL`,
        [userId, reason],
      );
      await this.bumpTokenVersion(userId, em);
    };
    await (manager ? run(manager) : this.dataSource.transaction(run));
  }
}
