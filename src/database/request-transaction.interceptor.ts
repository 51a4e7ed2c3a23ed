import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { RequestWithAccess } from '../abilities/access-context';
import { Db } from './request-context';
import { sessionContextOf } from './session-context';

/** Methods that change nothing (RFC 9110 §9.2.1): their lone reads may skip the transaction. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export const OWN_TRANSACTION_KEY = 'db:ownTransaction';
/** For handlers that manage their own transaction (streamed exports). */
export const OwnTransaction = (): MethodDecorator => SetMetadata(OWN_TRANSACTION_KEY, true);

/**
 * Every authorized request runs in one transaction that carries the caller's identity for
 * PostgreSQL row-level security (the second wall behind the ability's SQL filters); the
 * handler's writes and audit rows commit or roll back together.
 */
@Injectable()
export class RequestTransactionInterceptor implements NestInterceptor {
  constructor(
    private readonly db: Db,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<RequestWithAccess>();
    const access = request.access;
    if (!access || this.reflector.get<boolean>(OWN_TRANSACTION_KEY, context.getHandler()))
      return next.handle();
    return from(
      this.db.withContext(
        sessionContextOf(access.principal),
        () => lastValueFrom(next.handle(), { defaultValue: undefined }),
        { readOnly: SAFE_METHODS.has(request.method) },
      ),
    );
  }
}
