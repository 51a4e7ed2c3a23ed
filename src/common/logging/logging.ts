import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { Env } from '../../config/env.schema';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Request id: the caller's `X-Request-Id` when it is well formed, otherwise a new UUID.
 * Fastify calls this first; the id is kept on the raw request so the pino-http middleware,
 * the audit log and the response header share it.
 */
export function requestIdFor(raw: IncomingMessage): string {
  const existing = (raw as IncomingMessage & { id?: unknown }).id;
  if (typeof existing === 'string') return existing;
  const header = raw.headers['x-request-id'];
  const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  (raw as IncomingMessage & { id?: string }).id = id;
  return id;
}

export function loggerParams(env: Env): Params {
  return {
    pinoHttp: {
      level: env.LOG_LEVEL,
      genReqId: (req) => requestIdFor(req),
      // Never log credentials or tokens.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      autoLogging: { ignore: (req) => req.url?.startsWith('/health') === true },
    },
  };
}
