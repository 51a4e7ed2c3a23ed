import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Errors } from '../common/errors/api-exception';
import { MailService } from '../modules/mail/mail.service';
import { normalizeEmail } from '../modules/users/users.service';
import { describeDuration, LinkTokensService } from './link-tokens.service';
import { EmailRateLimiter } from './rate-limit/email-rate-limiter';
import { SessionsService, type TokenPair } from './sessions.service';

@Injectable()
export class MagicLinkService implements OnModuleDestroy {
  private readonly logger = new Logger(MagicLinkService.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly linkTokens: LinkTokensService,
    private readonly mail: MailService,
    private readonly sessions: SessionsService,
    private readonly limiter: EmailRateLimiter,
  ) {}

  /**
   * Always answers the same way, and the lookup and sending happen after the answer: neither
   * the status nor the response time tells whether the account exists.
   */
  async request(email: string): Promise<void> {
    const normalized = normalizeEmail(email);
    await this.limiter.consumeMagicLinkRequest(normalized);
    const job = this.send(normalized)
      .catch((error: unknown) => this.logger.error({ err: error }, 'Magic link not sent'))
      .finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  consume(token: string): Promise<TokenPair> {
    return this.dataSource.transaction(async (em) => {
      const userId = await this.linkTokens.consume('login', token, em);
      if (!userId) throw Errors.unauthenticated('Invalid or expired login link');
      return this.sessions.start(userId, 'magic_link', em);
    });
  }

  /** Lets queued mails finish before the pool and the mail transport close (later hooks). */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private async send(email: string): Promise<void> {
    const rows: { id: string; email: string; display_name: string | null }[] =
      await this.dataSource.query(
        `SELECT id, email, display_name FROM users
          WHERE email = $1 AND disabled_at IS NULL AND activated_at IS NOT NULL`,
        [email],
      );
    const user = rows[0];
    if (!user) return;
    const token = await this.linkTokens.create('login', user.id);
    const body = this.mail.render('magic-link', {
      displayName: user.display_name ?? user.email,
      link: this.linkTokens.link('login', token),
      expiresIn: describeDuration(this.linkTokens.ttlOf('login')),
    });
    await this.mail.send({ to: user.email, subject: 'Your PPN sign-in link', ...body });
  }
}
