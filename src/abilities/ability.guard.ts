import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Errors } from '../common/errors/api-exception';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator';
import type { RequestWithAccess } from './access-context';
import type { AppAbility } from './ability.factory';
import type { Action } from './actions';
import { AbilityService } from './ability.service';
import { AUTHENTICATED_ONLY_KEY, AUTHORIZE_KEY, type RouteRule } from './authorize.decorator';
import { featureDenial, tenancyDenial } from './denials';

/**
 * Global guard, after authentication: enforces the route's @Authorize rule — tier/feature
 * checks first (feature_disabled → role_expired → feature_denied), then the tenancy axis
 * (tenancy_denied) — and hands the request an AccessContext for record-level checks.
 * Runs before validation pipes, so a denied caller gets 403 whatever it sent.
 */
const WRITE_ACTIONS: readonly Action[] = ['create', 'update', 'delete'];

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
    if (
      !ability.can(rule.action, rule.subject) &&
      !this.recordDecidesLater(request, ability, rule)
    ) {
      throw Errors.forbidden(
        'tenancy_denied',
        tenancyDenial(principal, rule.feature, rule.action, `${rule.action} ${rule.subject}`),
      );
    }
    request.access = { principal, ability, input, rule, requestId: String(request.id) };
    return true;
  }

  /**
   * API.md's order of checks puts 404 (record out of scope) and 403 action_denied after the
   * body check, with "a clinic ADMIN deleting its clinic" as the example of action_denied: a
   * caller whose tenancy role manages such records (some write rule on the subject) but not
   * with this action. So on an update/delete route that names a record, such a caller goes on
   * to the service, which answers 404 or action_denied for that record. A caller whose role
   * manages nothing of the kind (a plain MEMBER changing the tenant) is stopped here with
   * tenancy_denied.
   */
  private recordDecidesLater(
    request: RequestWithAccess,
    ability: AppAbility,
    rule: RouteRule,
  ): boolean {
    const params = request.params as Record<string, unknown> | undefined;
    if (rule.action !== 'update' && rule.action !== 'delete') return false;
    if (!params || Object.keys(params).length === 0) return false;
    return WRITE_ACTIONS.some((action) => ability.can(action, rule.subject));
  }
}
