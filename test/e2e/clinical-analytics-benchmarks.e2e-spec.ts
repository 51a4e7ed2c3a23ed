import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImportCohortsCommand } from '../../src/cli/import-cohorts.command';
import { BenchmarksService } from '../../src/modules/benchmarks/benchmarks.service';
import {
  createAssessment,
  createPatient,
  createSession,
  type TestPatient,
} from '../factories/clinical';
import { startTestApp, testEnv, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

const run = promisify(execFile);

describe('Clinical: analytics and benchmarks (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
  }, 60_000);
  afterAll(() => t.close());

  describe('GET /analytics/outcomes', () => {
    const phq = (score: number): number[] => {
      const answers = Array(9).fill(0) as number[];
      for (let i = 0; score > 0; i = (i + 1) % 9) {
        if (answers[i] < 3) {
          answers[i]++;
          score--;
        }
      }
      return answers;
    };
    const at = (day: number): Date => new Date(Date.UTC(2026, 0, day));
    let a: TestPatient;

    beforeAll(async () => {
      const ds = t.dataSource;
      // Psilocybin: A 25 → 12 (responder), B 20 → 15 (not), C only a baseline (not counted).
      a = await createPatient(ds, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
        substance: 'Psilocybin',
      });
      const b = await createPatient(ds, {
        ownerId: w.colleague.id,
        tenantId: w.t1,
        clinicId: w.c1,
        substance: 'psilocybin',
      });
      const c = await createPatient(ds, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
        substance: 'psilocybin',
      });
      await createAssessment(ds, a.id, 'PHQ9', phq(25), 25, 'severe', at(1));
      await createAssessment(ds, a.id, 'PHQ9', phq(18), 18, 'moderately_severe', at(10));
      await createAssessment(ds, a.id, 'PHQ9', phq(12), 12, 'moderate', at(20));
      await createAssessment(ds, b.id, 'PHQ9', phq(20), 20, 'severe', at(1));
      await createAssessment(ds, b.id, 'PHQ9', phq(15), 15, 'moderately_severe', at(20));
      await createAssessment(ds, c.id, 'PHQ9', phq(22), 22, 'severe', at(1));
      await createAssessment(ds, a.id, 'GAD7', [3, 3, 3, 3, 2, 0, 0], 14, 'moderate', at(1));
      await createAssessment(ds, a.id, 'GAD7', [1, 1, 1, 1, 0, 0, 0], 4, 'minimal', at(20));
      // Sessions: 4 ketamine sessions, one with 2 adverse events → 50 per 100 sessions.
      const k = await createPatient(ds, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
        substance: 'ketamine',
      });
      const sessions = [];
      for (let i = 0; i < 4; i++)
        sessions.push(await createSession(ds, k.id, { substance: 'ketamine' }));
      await ds.query(
        `INSERT INTO adverse_events (tenant_id, session_id, patient_id, occurred_at, description, severity, created_by)
         SELECT tenant_id, id, patient_id, now(), 'diaphoresis', 'mild', created_by FROM treatment_sessions WHERE id = $1
         UNION ALL SELECT tenant_id, id, patient_id, now(), 'nausea', 'mild', created_by FROM treatment_sessions WHERE id = $1`,
        [sessions[0]],
      );
      // Out of scope for T1's members: another tenant and a partner's test patient.
      const other = await createPatient(ds, {
        ownerId: w.other.id,
        tenantId: w.t2,
        clinicId: w.c3,
        substance: 'psilocybin',
      });
      await createAssessment(ds, other.id, 'PHQ9', phq(27), 27, 'severe', at(1));
      await createAssessment(ds, other.id, 'PHQ9', phq(0), 0, 'minimal', at(20));
      const test = await createPatient(ds, {
        ownerId: w.partner.id,
        isTest: true,
        substance: 'psilocybin',
      });
      await createAssessment(ds, test.id, 'PHQ9', phq(27), 27, 'severe', at(1));
      await createAssessment(ds, test.id, 'PHQ9', phq(0), 0, 'minimal', at(20));
    });

    it('401; 403 feature_denied for user_free and partner_free', async () => {
      expect((await t.http().get('/analytics/outcomes')).status).toBe(401);
      for (const u of [w.free, w.partnerFree, w.observer]) {
        const res = await t
          .http()
          .get('/analytics/outcomes')
          .set(...bearer(u));
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ code: 'feature_denied', feature: 'analytics' });
      }
    });

    it('aggregates in scope, per substance, in SQL', async () => {
      const res = await t
        .http()
        .get('/analytics/outcomes')
        .set(...bearer(w.member));
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      const psilocybin = res.body.items.find(
        (i: { substance: string }) => i.substance === 'psilocybin',
      );
      expect(psilocybin).toMatchObject({
        patients: 3,
        phq9: {
          n: 2,
          meanBaseline: 22.5,
          meanLatest: 13.5,
          meanChange: -9,
          responders: 1,
          responderRate: 0.5,
        },
        gad7: {
          n: 1,
          meanBaseline: 14,
          meanLatest: 4,
          meanChange: -10,
          responders: 1,
          responderRate: 1,
        },
        sessions: 0,
      });
      const ketamine = res.body.items.find(
        (i: { substance: string }) => i.substance === 'ketamine',
      );
      expect(ketamine).toMatchObject({
        patients: 1,
        sessions: 4,
        adverseEvents: 2,
        adverseEventsPer100Sessions: 50,
        phq9: { n: 0, meanChange: null },
      });
      expect(res.body.totals).toMatchObject({ patients: 4, sessions: 4, adverseEvents: 2 });
    });

    it('another tenant sees only its own data; a partner only its test rows; admin test rows only with includeTest', async () => {
      const other = await t
        .http()
        .get('/analytics/outcomes')
        .set(...bearer(w.other));
      expect(other.body.items).toEqual([
        expect.objectContaining({
          substance: 'psilocybin',
          patients: 1,
          phq9: expect.objectContaining({ n: 1, responders: 1 }),
        }),
      ]);
      const partner = await t
        .http()
        .get('/analytics/outcomes')
        .set(...bearer(w.partner));
      expect(partner.body.totals.patients).toBe(1);
      const admin = await t
        .http()
        .get('/analytics/outcomes')
        .set(...bearer(w.admin));
      expect(admin.body.totals.patients).toBe(5);
      const adminTest = await t
        .http()
        .get('/analytics/outcomes?includeTest=true')
        .set(...bearer(w.admin));
      expect(adminTest.body.totals.patients).toBe(6);
      expect(
        (
          await t
            .http()
            .get('/analytics/outcomes?includeTest=true')
            .set(...bearer(w.owner))
        ).status,
      ).toBe(403);
    });
  });

  describe('benchmarks', () => {
    const header =
      'cohort,substance,indication,n,instrument,baseline_mean,followup_mean,followup_weeks,source_citation,licence';
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cohorts-'));
    });

    const command = (): ImportCohortsCommand =>
      new ImportCohortsCommand(t.dataSource, t.app.get(BenchmarksService));
    const capture = async (
      work: () => Promise<void>,
    ): Promise<{ out: string; err: string; exitCode: number | undefined }> => {
      const out: string[] = [];
      const err: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
      const error = jest
        .spyOn(console, 'error')
        .mockImplementation((m: string) => void err.push(m));
      const previous = process.exitCode;
      process.exitCode = undefined;
      try {
        await work();
        return {
          out: out.join('\n'),
          err: err.join('\n'),
          exitCode: process.exitCode as number | undefined,
        };
      } finally {
        process.exitCode = previous;
        log.mockRestore();
        error.mockRestore();
      }
    };

    it('import-cohorts reports bad rows by line number and imports nothing', async () => {
      const file = join(dir, 'bad.csv');
      await writeFile(
        file,
        `${header}\nA,psilocybin,TRD,24,PHQ9,19,10,8,src,CC BY 4.0\nB,psilocybin,TRD,-2,PHQ9,19,10,8,src,CC BY 4.0\n`,
      );
      const result = await capture(() => command().run([file], {}));
      expect(result.exitCode).toBe(1);
      expect(result.err).toContain(`${file}:3: n: must be a positive integer`);
      expect(await t.dataSource.query(`SELECT 1 FROM benchmark_cohorts`)).toHaveLength(0);
    });

    it('imports the sample file idempotently; GET /benchmarks/cohorts lists and filters', async () => {
      const first = await capture(() => command().run(['data/benchmark-cohorts.sample.csv'], {}));
      expect(first.exitCode).toBeUndefined();
      expect(first.out).toMatch(/5 inserted, 0 updated, 0 unchanged/);
      const second = await capture(() => command().run(['data/benchmark-cohorts.sample.csv'], {}));
      expect(second.out).toMatch(/0 inserted, 0 updated, 5 unchanged/);

      expect((await t.http().get('/benchmarks/cohorts')).status).toBe(401);
      for (const u of [w.free, w.partnerFree, w.member /* user_pro: no benchmark_intel */]) {
        const denied = await t
          .http()
          .get('/benchmarks/cohorts')
          .set(...bearer(u));
        expect(denied.status).toBe(403);
        expect(denied.body.code).toBe('feature_denied');
      }
      const all = await t
        .http()
        .get('/benchmarks/cohorts')
        .set(...bearer(w.owner));
      expect(all.status).toBe(200);
      expect(all.body.items).toHaveLength(5);
      expect(all.body.items[0].sourceCitation).toMatch(/Illustrative/);
      const filtered = await t
        .http()
        .get('/benchmarks/cohorts?substance=Psilocybin&instrument=gad7')
        .set(...bearer(w.partner));
      expect(filtered.body.items).toEqual([
        expect.objectContaining({
          substance: 'psilocybin',
          instrument: 'GAD7',
          n: 24,
          baselineMean: 13,
          followupMean: 7.5,
        }),
      ]);
      const page = await t
        .http()
        .get('/benchmarks/cohorts?limit=2')
        .set(...bearer(w.owner));
      expect(page.body.items).toHaveLength(2);
      expect(page.body.nextCursor).toEqual(expect.any(String));
    });

    it('a changed row is updated, not duplicated', async () => {
      const file = join(dir, 'update.csv');
      await writeFile(
        file,
        `${header}\nILLUSTRATIVE sample C,ketamine,treatment-resistant depression,61,PHQ9,20.5,13.0,4,"Illustrative sample row, not a real study",CC0-1.0 (illustrative sample)\n`,
      );
      const result = await capture(() => command().run([file], {}));
      expect(result.out).toMatch(/0 inserted, 1 updated, 0 unchanged/);
      const rows: { n: number }[] = await t.dataSource.query(
        `SELECT n FROM benchmark_cohorts WHERE substance = 'ketamine'`,
      );
      expect(rows).toEqual([{ n: 61 }]);
    });

    it('`npm run cli -- import-cohorts` is wired (real process)', async () => {
      const env = { ...process.env, ...testEnv(t.database.url), LOG_LEVEL: 'warn' };
      const { stdout } = await run(
        'node',
        [
          '-r',
          '@swc-node/register',
          'src/cli.ts',
          'import-cohorts',
          'data/benchmark-cohorts.sample.csv',
        ],
        { env, timeout: 120_000 },
      );
      expect(stdout).toMatch(/Imported 5 cohort row\(s\).*0 inserted, 1 updated, 4 unchanged/);
    }, 150_000);
  });
});
