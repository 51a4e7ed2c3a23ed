import { Controller, Get, Module } from '@nestjs/common';
import { AuthenticatedOnly } from '../../src/abilities/authorize.decorator';
import { startTestApp, type TestApp } from '../harness/test-app';
import { runBflaSweep, type BflaResult } from '../security/bfla';
import { loadInventory, type SweepRoute } from '../security/route-inventory';
import { changedRows, report, rowHashes } from '../security/sweep';
import { buildWorld } from '../security/world';

/** OWASP API5 (BFLA) over the route inventory; the spec-side oracle is in test/security/bfla.ts. */
describe('Security: BFLA sweep (e2e)', () => {
  let t: TestApp;
  let routes: SweepRoute[];
  let result: BflaResult;
  let before: Map<string, Set<string>>;

  beforeAll(async () => {
    t = await startTestApp();
    const world = await buildWorld(t);
    routes = await loadInventory(t);
    before = await rowHashes(t.dataSource);
    result = await runBflaSweep(t, world, routes);
    report(
      `[security-bfla] ${result.routes.size} routes, ${result.cases} denied-role cases ` +
        `(admin ${result.byKind.admin}, tenancy management ${result.byKind.tenancy}, tier features ${result.byKind.feature})`,
    );
  }, 300_000);
  afterAll(() => t?.close());

  it('covers every admin and tenancy-management route', () => {
    const expected = routes
      .filter((r) => r.isAdmin || (r.method !== 'GET' && /^\/(tenants|clinics)/.test(r.path)))
      .map((r) => r.key);
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.filter((k) => !result.routes.has(k))).toEqual([]);
  });

  it('every role that must not reach a function gets 403/404, never 2xx', () => {
    expect(result.failures).toEqual([]);
  });

  it('no denied call changed a row', async () => {
    expect(changedRows(before, await rowHashes(t.dataSource))).toEqual({});
  });
});

/** Proof that the sweep can fail: an admin route declared for any authenticated caller. */
@Controller('admin')
class LeakyAdminController {
  @Get('leaky-report')
  @AuthenticatedOnly()
  report(): { secret: string } {
    return { secret: 'every tenant’s numbers' };
  }
}
@Module({ controllers: [LeakyAdminController] })
class LeakyAdminModule {}

describe('Security: BFLA sweep catches an admin route open to everyone (e2e)', () => {
  it('fails on a route added under /admin without the admin rule', async () => {
    const t = await startTestApp({ extraImports: [LeakyAdminModule] });
    try {
      const world = await buildWorld(t);
      const leaky = (await loadInventory(t)).filter(
        (r) => r.controller === LeakyAdminController.name,
      );
      const result = await runBflaSweep(t, world, leaky);
      report(
        `[security-bfla] leaky admin route: ${result.failures.length} failures of ${result.cases} cases`,
      );
      expect(result.failures.length).toBe(result.cases);
      expect(result.failures[0]).toMatch(/GET \/admin\/leaky-report → 200/);
    } finally {
      await t.close();
    }
  }, 120_000);
});
