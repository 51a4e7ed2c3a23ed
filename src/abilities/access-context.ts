import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { AbilityInput, AppAbility } from './ability.factory';
import type { RouteRule } from './authorize.decorator';

/**
 * Everything a service needs to enforce access for one request: the caller, their CASL
 * ability (cached), the inputs it was built from, the route's rule and the request id
 * (for the audit log).
 */
export interface AccessContext {
  readonly principal: Principal;
  readonly ability: AppAbility;
  readonly input: AbilityInput;
  readonly rule: RouteRule;
  readonly requestId: string;
}

export type RequestWithAccess = FastifyRequest & { user?: Principal; access?: AccessContext };

/** Injects the request's AccessContext (set by the AbilityGuard on every @Authorize route). */
export const Access = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AccessContext => {
    const access = context.switchToHttp().getRequest<RequestWithAccess>().access;
    if (!access) throw new Error('@Access() used on a route without @Authorize()');
    return access;
  },
);
