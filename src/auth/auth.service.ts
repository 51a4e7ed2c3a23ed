import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Errors } from '../common/errors/api-exception';
import { normalizeEmail } from '../modules/users/users.service';
import { decoyPasswordHash, verifyPassword } from './passwords';
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
