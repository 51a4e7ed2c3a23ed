import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { PlatformRole } from '../abilities/platform-roles';
import type { ClinicRole, TenantRole } from '../abilities/tenancy-roles';
import type { Tier } from '../abilities/tiers';

/**
 * Who is calling: the three axes of access, loaded from the database (never from token
 * claims alone) for the token's user at its `token_version`. The ability factory builds
 * the CASL ability from exactly this.
 */
export interface Principal {
  readonly id: string;
  readonly email: string;
  readonly displayName: string | null;
  /** Axis 1 — platform role. */
  readonly platformRole: PlatformRole | null;
  /** Axis 2 — role tier, and when it stops granting features (time-boxed tiers). */
  readonly tier: Tier;
  readonly tierExpiresAt: Date | null;
  /** Axis 3 — tenancy: at most one tenant (D5) and the clinics within it. */
  readonly tenant: { readonly id: string; readonly role: TenantRole } | null;
  readonly clinics: readonly { readonly id: string; readonly role: ClinicRole }[];
  readonly tokenVersion: number;
  /** The refresh-token family (login session) the access token belongs to. */
  readonly sessionId: string;
  /** The access token's `jti`. */
  readonly tokenId: string;
}

export type AuthenticatedRequest = FastifyRequest & { user?: Principal };

export function principalOf(context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().user;
}

/** Injects the authenticated caller into a handler parameter. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const user = principalOf(context);
    if (!user) throw new Error('CurrentUser used on a route without authentication');
    return user;
  },
);
