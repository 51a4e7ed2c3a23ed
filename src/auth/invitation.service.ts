import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isPartnerTier, isTier } from '../abilities/tiers';
import { Errors } from '../common/errors/api-exception';
import { MailService } from '../modules/mail/mail.service';
import { passwordProblems } from './password-policy';
import { hashPassword } from './passwords';
import { describeDuration, LinkTokensService } from './link-tokens.service';
import { SessionsService, type TokenPair } from './sessions.service';

export type InvitationTemplate = 'partner' | 'member';

const TEMPLATES: Readonly<Record<InvitationTemplate, { name: string; subject: string }>> = {
  partner: { name: 'partner-invitation', subject: 'Your invitation to the PPN Beta' },
  member: { name: 'member-invitation', subject: 'You have been invited to PPN' },
};

/**
 * Invitations for partner provisioning and tenant member invites. `invite` runs inside the
 * caller's transaction when given one: the token is inserted, then the mail is sent before
 * the caller commits, and a failed send throws, so no account is left with an invitation
 * that was never delivered.
 */
@Injectable()
export class InvitationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly linkTokens: LinkTokensService,
    private readonly mail: MailService,
    private readonly sessions: SessionsService,
  ) {}

  async invite(
    userId: string,
    manager?: EntityManager,
    options: { template?: InvitationTemplate } = {},
  ): Promise<void> {
    const run = async (em: EntityManager): Promise<void> => {
      const rows: { email: string; display_name: string | null; tier: string }[] = await em.query(
        `SELECT u.email, u.display_name, r.role_name AS tier
           FROM users u
           JOIN user_profiles p ON p.user_id = u.id
           JOIN ref_user_roles r ON r.id = p.role_id
          WHERE u.id = $1 AND u.disabled_at IS NULL`,
        [userId],
      );
      const user = rows[0];
      if (!user) throw Errors.notFound('User not found or disabled');
      const kind =
        options.template ?? (isTier(user.tier) && isPartnerTier(user.tier) ? 'partner' : 'member');
      const token = await this.linkTokens.create('invite', userId, em);
      const template = TEMPLATES[kind];
      const body = this.mail.render(template.name, {
        displayName: user.display_name ?? user.email,
        link: this.linkTokens.link('invite', token),
        expiresIn: describeDuration(this.linkTokens.ttlOf('invite')),
      });
      await this.mail.send({ to: user.email, subject: template.subject, ...body });
    };
    await (manager ? run(manager) : this.dataSource.transaction(run));
  }

  /** Spends the invitation, activates the account, optionally sets its password, logs in. */
  async accept(token: string, password?: string | null): Promise<TokenPair> {
    // Hash before the transaction: argon2 takes tens of milliseconds, no lock should wait on it.
    // `@IsOptional()` lets an explicit null through validation: it means "no password" too.
    if (password !== undefined && password !== null) {
      const problems = passwordProblems(password, null, 'password');
      if (problems.length) throw Errors.validation(problems);
    }
    const passwordHash =
      password === undefined || password === null ? null : await hashPassword(password);
    return this.dataSource.transaction(async (em) => {
      const userId = await this.linkTokens.consume('invite', token, em);
      if (!userId) throw Errors.unauthenticated('Invalid or expired invitation');
      await em.query(
        `UPDATE users SET activated_at = COALESCE(activated_at, now()),
                          password_hash = COALESCE($2, password_hash),
                          updated_at = now()
          WHERE id = $1`,
        [userId, passwordHash],
      );
      return this.sessions.start(userId, 'invitation', em);
    });
  }
}
