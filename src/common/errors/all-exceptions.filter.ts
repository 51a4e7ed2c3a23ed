import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { ApiException, type ApiErrorBody, reasonPhrase } from './api-exception';
import type { ErrorCode } from './error-codes';

const CODE_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'action_denied',
  404: 'not_found',
  405: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * Writes every error in API.md's shape. Only messages we wrote ourselves reach the client:
 * anything unexpected becomes a bare 500 (logged with its stack, never sent), and database
 * errors never leak SQL, constraint or table names.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { body, headers } = this.toBody(exception, request);
    if (isReleasedRunnerError(exception)) {
      // A 503, but also the symptom of a handler using its transaction after it ended: keep a trace.
      this.logger.warn(
        { err: exception, requestId: request.id, route: request.url },
        'Query runner released mid-request',
      );
    } else if (body.statusCode >= 500 && body.statusCode !== 503) {
      this.logger.error(
        { err: exception, requestId: request.id, route: request.url },
        'Unhandled error',
      );
    } else if (body.statusCode === 401 || body.statusCode === 403 || body.statusCode === 429) {
      // Security events (ASVS V16): who (when known), what was refused, and why — never the
      // token or the body. The request id ties the line to the access log and the audit log.
      const userId = (request as FastifyRequest & { user?: { id?: string } }).user?.id ?? null;
      this.logger.warn(
        {
          event: 'access_refused',
          requestId: request.id,
          userId,
          method: request.method,
          route: request.routeOptions?.url ?? request.url.split('?')[0],
          status: body.statusCode,
          code: body.code,
          ip: request.ip,
        },
        'Access refused',
      );
    }
    for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(
    exception: unknown,
    request: FastifyRequest,
  ): { body: ApiErrorBody; headers: Record<string, string> } {
    if (exception instanceof ApiException)
      return { body: exception.body, headers: { ...exception.headers } };
    if (exception instanceof ThrottlerException) {
      return { body: make(429, 'rate_limited', 'Too many requests'), headers: {} };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const health = healthBody(exception);
      if (health) return { body: health, headers: {} };
      const code =
        CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed');
      const message =
        status >= 500 ? reasonPhrase(status) : safeMessage(exception, status, request);
      return { body: make(status, code, message), headers: {} };
    }
    if (exception instanceof QueryFailedError) {
      const pgCode = (exception.driverError as { code?: string } | undefined)?.code;
      if (pgCode === '23505')
        return { body: make(409, 'conflict', 'The resource already exists'), headers: {} };
      if (pgCode === '23503')
        return {
          body: make(409, 'conflict', 'A related record is missing or still in use'),
          headers: {},
        };
      if (
        pgCode === '23514' ||
        pgCode === '22P02' ||
        pgCode === '22003' ||
        pgCode === '22007' ||
        pgCode === '22008'
      )
        return {
          body: make(400, 'validation_failed', 'A value is out of range or malformed', {
            details: [],
          }),
          headers: {},
        };
      if (pgCode === '40001' || pgCode === '40P01')
        return { body: make(409, 'conflict', 'Concurrent update; retry the request'), headers: {} };
      if (pgCode === '57014')
        return { body: make(503, 'service_unavailable', 'The request took too long'), headers: {} };
    }
    if (isConnectionError(exception)) {
      return {
        body: make(503, 'service_unavailable', 'The database is unavailable; retry shortly'),
        headers: { 'Retry-After': '5' },
      };
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Fastify's own errors (bad JSON, body too large, wrong content type): safe, fixed texts.
      const code = CODE_BY_STATUS[fastifyStatus] ?? 'validation_failed';
      return {
        body: make(
          fastifyStatus,
          code,
          fastifyMessage(fastifyStatus),
          code === 'validation_failed' ? { details: [] } : {},
        ),
        headers: {},
      };
    }
    return { body: make(500, 'internal_error', 'Internal server error'), headers: {} };
  }
}

/** Terminus' 503: keep `status` and each check's up/down, drop driver messages (hosts, ports). */
function healthBody(exception: HttpException): ApiErrorBody | null {
  const response = exception.getResponse() as {
    status?: unknown;
    details?: Record<string, { status?: unknown }>;
  };
  if (exception.getStatus() !== 503 || response?.status !== 'error' || !response.details)
    return null;
  const checks = Object.fromEntries(
    Object.entries(response.details).map(([name, detail]) => [
      name,
      { status: detail?.status === 'up' ? 'up' : 'down' },
    ]),
  );
  return make(503, 'service_unavailable', 'A dependency is unavailable', {
    status: 'error',
    details: checks,
  });
}

function make(
  statusCode: number,
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
): ApiErrorBody {
  return { statusCode, error: reasonPhrase(statusCode), message, code, ...extra };
}

function safeMessage(exception: HttpException, status: number, request: FastifyRequest): string {
  if (status === 404) return `Cannot ${request.method} ${request.url.split('?')[0]}`;
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.filter((m) => typeof m === 'string').join('; ');
  return reasonPhrase(status);
}

function fastifyMessage(status: number): string {
  switch (status) {
    case 413:
      return 'Request body is too large';
    case 415:
      return 'Unsupported content type; send application/json';
    default:
      return 'Malformed request';
  }
}

/**
 * TypeORM's errors for a query runner whose connection went away under a request: when
 * PostgreSQL restarts, pg drops the broken client and the request's transaction can neither
 * query nor commit (found by the fault test, scripts/fault-test.ts). The database is
 * unavailable, so 503, not 500.
 */
function isReleasedRunnerError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'QueryRunnerAlreadyReleasedError' ||
      error.name === 'QueryRunnerProviderAlreadyReleasedError')
  );
}

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  return (
    isReleasedRunnerError(error) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === '57P01' ||
    code === '57P03' ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
}
