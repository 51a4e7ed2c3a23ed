import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Errors } from '../common/errors/api-exception';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator';
import type { RequestWithAccess } from './access-context';
import { AbilityService } from './ability.service';
import { AUTHENTICATED_ONLY_KEY, AUTHORIZE_KEY, type RouteRule } from './authorize.decorator';
import { featureDenial, tenancyDenial } from './denials';

/**
 * Global guard, after authentication: enforces the route's @Authorize rule — tier/feature
 * checks first (feature_disabled → role_expired → feature_denied), then the tenancy axis
 * (tenancy_denied) — and hands the request an AccessContext for record-level checks.
 * Runs before validation pipes, so a denied caller gets 403 whatever it sent.
 */
@Injectable()
export class AbilityGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const rule = this.reflector.get<RouteRule | undefined>(AUTHORIZE_KEY, context.getHandler());
    const request = context.switchToHttp().getRequest<RequestWithAccess>();
    const principal = request.user;
    if (!principal) throw Errors.unauthenticated();
    if (!rule) {
      // @AuthenticatedOnly routes (GET /me, logout) need a valid token and nothing else;
      // a route with no declaration is denied (and the startup check refuses to boot).
      if (this.reflector.get<boolean>(AUTHENTICATED_ONLY_KEY, context.getHandler())) return true;
      throw Errors.forbidden('action_denied', {
        feature: null,
        action: 'read',
        tier: principal.tier,
        reason: 'This route declares no access rule',
      });
    }
    const { ability, input } = await this.abilities.forPrincipal(principal);
    if (rule.feature) {
      const denial = featureDenial(input, rule.feature, rule.action);
      if (denial) throw Errors.forbidden(denial.code, denial);
    }
    if (!ability.can(rule.action, rule.subject)) {
      throw Errors.forbidden('tenancy_denied', tenancyDenial(principal, rule.feature, rule.action, `${rule.action} ${rule.subject}`));
    }
    request.access = { principal, ability, input, rule, requestId: String(request.id) };
    return true;
  }
}
