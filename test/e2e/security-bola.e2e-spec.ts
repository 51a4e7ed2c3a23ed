import { writeFileSync } from 'node:fs';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Authorize } from '../../src/abilities/authorize.decorator';
import { Errors } from '../../src/common/errors/api-exception';
import { startTestApp, type TestApp } from '../harness/test-app';
import { runBolaSweep, type BolaResult } from '../security/bola';
import { loadInventory, type SweepRoute } from '../security/route-inventory';
import { changedRows, report, rowHashes } from '../security/sweep';
import { buildWorld, type World } from '../security/world';

/**
 * OWASP API1 (BOLA), driven by the route inventory: every route naming a record (`:id`,
 * `:…Id`, and uuid body/query references) is called by every tenancy role with records of
 * another tenant, another clinic, another owner, a solo user and a partner's test data.
 * Out of scope must look exactly like missing: 404 `not_found` (or a guard 403 decided before
 * any record is read), the same answer as for an id that exists nowhere, and no field of the
 * record in the body. See test/security/bola.ts for the oracle.
 */
describe('Security: BOLA sweep (e2e)', () => {
  let t: TestApp;
  let world: World;
  let routes: SweepRoute[];
  let before: Map<string, Set<string>>;
  let result: BolaResult;

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    routes = await loadInventory(t);
    before = await rowHashes(t.dataSource);
    result = await runBolaSweep(t, world, routes);
    report(
      `[security-bola] ${result.routes.size} routes with record references, ${result.cases} cases ` +
        `(${result.notFound} exact 404, ${result.guard403} guard 403, ${result.mixed} mixed-id, ` +
        `${result.references} body/query reference cases), ${result.skippedVisible} in-scope combinations skipped`,
    );
  }, 300_000);
  afterAll(() => t?.close());

  it('covers every route that names a record', () => {
    const named = routes.filter((r) => r.idParams.length > 0 && r.access !== 'public');
    expect(named.length).toBeGreaterThan(20);
    expect(named.map((r) => r.key).filter((k) => !result.routes.has(k))).toEqual([]);
  });

  it('out of scope answers exactly like missing, never 2xx, with no field of the record', () => {
    if (process.env.SWEEP_FAILURES_FILE)
      writeFileSync(process.env.SWEEP_FAILURES_FILE, result.failures.join('\n'));
    expect(result.failures).toEqual([]);
  });

  it('no attack changed or deleted a row', async () => {
    expect(changedRows(before, await rowHashes(t.dataSource))).toEqual({});
  });
});

/** Proof that the sweep can fail: a route with a BOLA hole, added without touching the sweep. */
@Controller('patients')
class LeakyPatientsController {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  // Declares a rule (so the app boots) but loads the record unscoped, on the owner connection.
  @Get(':id/leak')
  @Authorize('read', 'Patient')
  async leak(@Param('id') id: string): Promise<unknown> {
    const rows: unknown[] = await this.ds.query(
      'SELECT id, subject_id FROM patients WHERE id = $1',
      [id],
    );
    if (!rows.length) throw Errors.notFound();
    return rows[0];
  }
}
@Module({ controllers: [LeakyPatientsController] })
class LeakyModule {}

describe('Security: BOLA sweep catches a leaky route (e2e)', () => {
  it('fails on a route added with a BOLA hole', async () => {
    const t = await startTestApp({ extraImports: [LeakyModule] });
    try {
      const world = await buildWorld(t);
      const leaky = (await loadInventory(t)).filter(
        (r) => r.controller === LeakyPatientsController.name,
      );
      expect(leaky.map((r) => r.key)).toEqual(['GET /patients/:id/leak']);
      const result = await runBolaSweep(t, world, leaky);
      report(
        `[security-bola] leaky route: ${result.failures.length} failures of ${result.cases} cases`,
      );
      expect(result.failures.length).toBeGreaterThan(0);
      expect(result.failures.join('\n')).toMatch(
        /GET \/patients\/[0-9a-f-]+\/leak → 200 .*body carries/,
      );
    } finally {
      await t.close();
    }
  }, 120_000);
});
