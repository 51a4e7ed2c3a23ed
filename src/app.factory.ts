import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { reasonPhrase } from './common/errors/api-exception';
import { requestIdFor } from './common/logging/logging';
import { setupOpenApi } from './common/openapi';
import { createValidationPipe } from './common/validation/validation.pipe';
import type { AppConfig } from './config/app-config';

export function createFastifyAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy: config.env.TRUST_PROXY,
    bodyLimit: 1_048_576,
    genReqId: (raw: IncomingMessage) => requestIdFor(raw),
    // Lets in-flight requests finish on shutdown, then closes idle keep-alive sockets.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // Router-level errors (a malformed URL, a path parameter over maxParamLength) never reach
    // Nest's exception filter; Fastify's own body echoes the URL, names FST_ codes and has no
    // charset. Answer them in API.md's shape (found by the fuzzer, test/e2e/security-fuzz).
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode === 414 ? 414 : 400;
      void reply
        .status(status)
        .type('application/json; charset=utf-8')
        .send({
          statusCode: status,
          error: reasonPhrase(status),
          message: status === 414 ? 'A path parameter is too long' : 'Malformed URL',
          code: 'validation_failed',
          details: [],
        });
    },
  });
}

/** Everything applied on top of the module graph; shared by main.ts and the e2e harness. */
export async function configureApp(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Swagger UI at /docs needs inline bootstrap code and styles.
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  app
    .getHttpAdapter()
    .getInstance()
    // Callback-style hooks: Fastify calls them without allocating a promise per request.
    .addHook('onSend', (request, reply, payload, done) => {
      void reply.header('x-request-id', request.id);
      done(null, payload);
    });
  if (config.env.DOCS_ENABLED) setupOpenApi(app);
}

export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app, config);
  await app.init();
  return app;
}
