import { Injectable, Logger } from '@nestjs/common';
import type { PartnerTier } from '../../abilities/tiers';
import { InvitationService } from '../../auth/invitation.service';
import { Errors } from '../../common/errors/api-exception';
import { Db } from '../../database/request-context';
import type { AuditActor } from '../audit/audit.service';
import { UsersService } from '../users/users.service';
import { AdminAudit } from '../admin/admin-audit';
import {
  AdminUsersService,
  futureDate,
  mailFailure,
  requireExpiryFor,
} from '../admin/admin-users.service';
import { inTransaction } from '../admin/transactions';
import { buildMockDataset } from './mock-data';
import { writeMockDataset } from './mock-data-writer';
import type { PartnerDto } from './partners.dto';

/** What provisioning needs; the API's DTO narrows `tier` to the three provisionable tiers. */
export interface PartnerInput {
  readonly email: string;
  readonly displayName: string;
  readonly tier: PartnerTier;
  readonly tierExpiresAt?: string;
}

export interface ProvisionOptions {
  /** Demo seeding: a password instead of an invitation, account active at once. */
  readonly password?: string;
  readonly now?: Date;
}

/**
 * Partner onboarding (seed 001, PRODUCT.md §4): the account, its own mock patients A, B, C
 * and the branded invitation, in ONE transaction — the request's, or a new one from the CLI.
 * The invitation is sent last, before commit: if the mail server refuses it, the account and
 * its mock data roll back with it and the caller gets 503.
 */
@Injectable()
export class PartnersService {
  private readonly logger = new Logger(PartnersService.name);

  constructor(
    private readonly db: Db,
    private readonly users: UsersService,
    private readonly adminUsers: AdminUsersService,
    private readonly invitations: InvitationService,
    private readonly audit: AdminAudit,
  ) {}

  provision(
    dto: PartnerInput,
    actor: AuditActor,
    options: ProvisionOptions = {},
  ): Promise<PartnerDto> {
    const now = options.now ?? new Date();
    const expiry =
      dto.tierExpiresAt === undefined ? null : futureDate(dto.tierExpiresAt, 'tierExpiresAt', now);
    requireExpiryFor(dto.tier, expiry);
    return inTransaction(this.db, async () => {
      if (await this.adminUsers.emailTaken(dto.email))
        throw Errors.conflict('A user with this email already exists');
      const m = this.db.manager;
      const invite = options.password === undefined;
      const user = await this.users.create(
        {
          email: dto.email,
          displayName: dto.displayName,
          password: options.password ?? null,
          tier: dto.tier,
          tierExpiresAt: expiry,
          activated: !invite,
        },
        m,
      );
      const patients = await writeMockDataset(m, user.id, buildMockDataset(user.id, now));
      await this.audit.record(
        {
          action: 'partner.provision',
          subjectType: 'User',
          subjectId: user.id,
          tenantId: null,
          details: {
            tier: dto.tier,
            tierExpiresAt: expiry?.toISOString() ?? null,
            mockPatients: patients.map((p) => p.subjectId),
            invited: invite,
          },
        },
        actor,
      );
      if (invite) {
        try {
          await this.invitations.invite(user.id, m, { template: 'partner' });
        } catch (error) {
          throw mailFailure(this.logger, error);
        }
      }
      const view = await this.adminUsers.view(user.id);
      return { ...view, mockPatients: patients, invitationSent: invite };
    });
  }
}
