import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Errors } from '../common/errors/api-exception';
import { normalizeEmail } from '../modules/users/users.service';
import { newPasswordProblems } from './password-policy';
import { decoyPasswordHash, hashPassword, verifyPassword } from './passwords';
import { EmailRateLimiter } from './rate-limit/email-rate-limiter';
import { SessionsService, type TokenPair } from './sessions.service';
import { TokenRevocationService } from './token-revocation.service';

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Security');

  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly limiter: EmailRateLimiter,
    private readonly revocation: TokenRevocationService,
  ) {}

  /**
   * Unknown email, no password, wrong password and disabled account all take the same path:
   * one lookup, one argon2 verification (against a decoy hash when there is no real one), one
   * failure count, and the same 401 body.
   */
  async login(email: string, password: string): Promise<TokenPair> {
    const normalized = normalizeEmail(email);
    await this.limiter.assertLoginAllowed(normalized);
    const rows: { id: string; password_hash: string | null; disabled_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT id, password_hash, disabled_at FROM users WHERE email = $1`,
        [normalized],
      );
    const user = rows[0];
    const hash = user?.password_hash ?? (await decoyPasswordHash());
    const passwordOk = await verifyPassword(hash, password);
    if (!user || user.password_hash === null || user.disabled_at !== null || !passwordOk) {
      await this.limiter.recordLoginFailure(normalized);
      // ASVS V16.3.1: the account concerned, without writing an address that may not exist
      // (a mistyped email is personal data too): the user id when known, else a hash.
      this.logger.warn(
        { event: 'login_failed', userId: user?.id ?? null, emailSha256: emailDigest(normalized) },
        'Login failed',
      );
      throw Errors.unauthenticated('Invalid email or password');
    }
    this.logger.log({ event: 'login_succeeded', userId: user.id }, 'Login succeeded');
    return this.sessions.start(user.id, 'password');
  }

  /**
   * Changes the caller's password (ASVS 6.2.2/6.2.3): the current one is verified first; every
   * session of the account is revoked and its access tokens die (token_version), and the caller
   * gets a fresh pair for this device. A wrong current password counts as a failed login.
   */
  async changePassword(
    userId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<TokenPair> {
    const rows: { email: string; password_hash: string | null }[] = await this.dataSource.query(
      `SELECT email, password_hash FROM users WHERE id = $1 AND disabled_at IS NULL`,
      [userId],
    );
    const user = rows[0];
    if (!user) throw Errors.unauthenticated();
    await this.limiter.assertLoginAllowed(user.email);
    const ok = await verifyPassword(
      user.password_hash ?? (await decoyPasswordHash()),
      currentPassword,
    );
    if (!ok || user.password_hash === null) {
      await this.limiter.recordLoginFailure(user.email);
      this.logger.warn({ event: 'password_change_failed', userId }, 'Password change refused');
      throw Errors.validation([
        { field: 'currentPassword', message: 'does not match the current password' },
      ]);
    }
    const problems = newPasswordProblems(newPassword, user.email, currentPassword);
    if (problems.length) throw Errors.validation(problems);
    const hash = await hashPassword(newPassword);
    const pair = await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
        userId,
        hash,
      ]);
      await this.revocation.revokeAllSessions(userId, em);
      return this.sessions.start(userId, 'password', em);
    });
    this.logger.log({ event: 'password_changed', userId }, 'Password changed');
    return pair;
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.sessions.refresh(refreshToken);
  }

  logoutAll(userId: string): Promise<void> {
    return this.revocation.revokeAllSessions(userId, undefined, 'logout_all');
  }
}

function emailDigest(email: string): string {
  return createHash('sha256').update(email).digest('hex').slice(0, 16);
}
