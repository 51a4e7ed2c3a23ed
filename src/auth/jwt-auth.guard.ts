import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC_KEY } from '../common/decorators/public.decorator';
import { Errors } from '../common/errors/api-exception';
import type { Principal } from './principal';

/**
 * Default deny (registered as APP_GUARD): every route needs a valid access token unless its
 * handler or controller is marked @Public().
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;
    return super.canActivate(context) as Promise<boolean>;
  }

  /**
   * Token problems arrive as `info` (passport "fail") → 401. `error` is something that went
   * wrong while checking (e.g. the database is down): rethrown so it is not disguised as 401.
   */
  override handleRequest<TUser = Principal>(error: unknown, user: unknown): TUser {
    if (error) throw error instanceof Error ? error : Errors.unauthenticated();
    if (!user) throw Errors.unauthenticated();
    return user as TUser;
  }
}
