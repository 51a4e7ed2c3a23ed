import 'reflect-metadata';
import { Controller, type ExecutionContext, Get, Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AuthenticatedOnly } from '../../src/abilities/authorize.decorator';
import { configureApp, createFastifyAdapter } from '../../src/app.factory';
import { AppModule } from '../../src/app.module';
import { JwtAuthGuard } from '../../src/auth/jwt-auth.guard';
import type { AuthenticatedRequest, Principal } from '../../src/auth/principal';
import { createTestDatabase, testConfig, type TestDatabase } from '../harness/test-app';
import { findUnguardedRoutes, recordRoutes, type RegisteredRoute } from './support/route-walker';

/** Swagger's routes are registered on Fastify directly and are public by API.md. */
const isDocsRoute = (route: RegisteredRoute): boolean =>
  route.url === '/docs' || route.url.startsWith('/docs/') || /^\/docs-(json|yaml)$/.test(route.url);

interface RecordedApp {
  readonly app: NestFastifyApplication;
  readonly routes: RegisteredRoute[];
  close(): Promise<void>;
}

/**
 * Like startTestApp, but records Fastify's route table (the hook must exist before Nest
 * registers its routes) and lets a test add modules or raw Fastify routes.
 */
async function startRecordedApp(
  options: {
    imports?: (new () => unknown)[];
    customize?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
    rawRoutes?: (fastify: FastifyInstance) => void;
  } = {},
): Promise<RecordedApp> {
  const database: TestDatabase = await createTestDatabase();
  const config = testConfig(database.url);
  try {
    let builder = Test.createTestingModule({
      imports: [AppModule.forRoot(config), ...(options.imports ?? [])],
    });
    if (options.customize) builder = options.customize(builder);
    const moduleRef = await builder.compile();
    const adapter = createFastifyAdapter(config);
    const routes = recordRoutes(adapter);
    options.rawRoutes?.(adapter.getInstance());
    const app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, {
      bufferLogs: true,
    });
    await configureApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return {
      app,
      routes,
      close: async () => {
        await app.close();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

describe('Default deny: every route answers 401 without a token unless @Public() (e2e)', () => {
  it('walks every registered route of the real app; none is reachable anonymously', async () => {
    const t = await startRecordedApp();
    try {
      const { offenders, checked, publicRoutes } = await findUnguardedRoutes(t.app, t.routes, {
        publicRawRoutes: isDocsRoute,
      });
      process.stdout.write(
        `[unguarded-routes] ${checked.length} guarded routes answered 401; public: ${publicRoutes
          .map((r) => `${r.method} ${r.url}`)
          .join(', ')}\n`,
      );
      expect(offenders).toEqual([]);
      // The walk saw the routes it must: guarded ones and the public auth and health routes.
      const seen = (method: string, url: string) =>
        [...checked, ...publicRoutes].some((r) => r.method === method && r.url === url);
      expect(seen('GET', '/me')).toBe(true);
      expect(seen('POST', '/auth/logout')).toBe(true);
      expect(seen('POST', '/auth/login')).toBe(true);
      expect(checked.some((r) => r.url === '/me' && r.method === 'GET')).toBe(true);
      expect(publicRoutes.some((r) => r.url === '/auth/login')).toBe(true);
      expect(publicRoutes.some((r) => r.url === '/health')).toBe(true);
    } finally {
      await t.close();
    }
  });

  describe('the walker can fail', () => {
    /** A guard with a "let anonymous callers in as a guest" bug. */
    @Injectable()
    class LeakyJwtAuthGuard extends JwtAuthGuard {
      override canActivate(context: ExecutionContext): boolean | Promise<boolean> {
        const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
        if (!req.headers.authorization) {
          const guest: Principal = {
            id: '00000000-0000-4000-8000-000000000001',
            email: 'guest@example.test',
            displayName: null,
            platformRole: null,
            tier: 'user_free',
            tierExpiresAt: null,
            tenant: null,
            clinics: [],
            tokenVersion: 0,
            sessionId: '00000000-0000-4000-8000-000000000002',
            tokenId: 'guest',
          };
          req.user = guest;
          return true;
        }
        return super.canActivate(context);
      }
    }

    @Controller('__leak')
    class LeakController {
      @Get('nest')
      @AuthenticatedOnly()
      nest(): { leaked: true } {
        return { leaked: true };
      }
    }

    @Module({ controllers: [LeakController] })
    class LeakModule {}

    it('reports a route registered on Fastify behind Nest’s back', async () => {
      const t = await startRecordedApp({
        rawRoutes: (fastify) => {
          fastify.get('/__leak/raw', async () => ({ leaked: true }));
        },
      });
      try {
        const { offenders } = await findUnguardedRoutes(t.app, t.routes, {
          publicRawRoutes: isDocsRoute,
        });
        expect(offenders.map((o) => `${o.method} ${o.url} ${o.status}`).sort()).toEqual([
          'GET /__leak/raw 200',
          'HEAD /__leak/raw 200',
        ]);
      } finally {
        await t.close();
      }
    });

    it('reports Nest routes (not @Public) when the global guard lets anonymous callers in', async () => {
      const t = await startRecordedApp({
        imports: [LeakModule],
        customize: (builder) => builder.overrideProvider(JwtAuthGuard).useClass(LeakyJwtAuthGuard),
      });
      try {
        const { offenders } = await findUnguardedRoutes(t.app, t.routes, {
          publicRawRoutes: isDocsRoute,
        });
        const reported = offenders.map((o) => `${o.method} ${o.url}`);
        expect(reported).toEqual(
          expect.arrayContaining(['GET /__leak/nest', 'GET /me', 'POST /auth/logout']),
        );
        // Public routes are never reported, whatever the guard does.
        expect(reported).not.toContain('POST /auth/login');
        expect(reported).not.toContain('GET /health');
      } finally {
        await t.close();
      }
    });
  });
});
