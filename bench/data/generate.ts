import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  ASSESSMENTS_PER_PATIENT,
  CLINICS_PER_TENANT,
  Kind,
  Layout,
  mix,
  uuid,
  VITALS_PER_PATIENT,
} from './layout';
import { Progress } from '../lib/progress';

/** Bumped whenever the layout changes: a cached dataset of another version is regenerated. */
export const DATASET_VERSION = 3;

export interface DatasetMeta {
  readonly version: number;
  readonly patients: number;
  readonly tenants: number;
  readonly users: number;
  readonly vitals: number;
  readonly seconds: number;
  readonly generatedAt: string;
}

/** Tables whose secondary indexes are dropped during the load and rebuilt after (sort-built). */
const BULK_TABLES = ['patients', 'treatment_sessions', 'vitals', 'assessments'];

const DAY = 86_400_000;
const SUBSTANCES = ['ibogaine', 'psilocybin', 'ketamine', 'mdma', '5-meo-dmt'];
const PHASES = ['intake', 'preparation', 'treatment', 'integration', 'completed'];
const INITIALS = ['JD', 'AB', 'MK', 'RL', 'TS', 'QX', 'EV', 'NP'];
const MEDS = ['{}', '{Suboxone}', '{Sertraline}', '{Methadone,Lithium}', '{}'];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Writes rows to a COPY … FROM STDIN in ~256 KB chunks, honouring backpressure. */
class CopyWriter {
  private buffer: string[] = [];
  private size = 0;
  rows = 0;

  constructor(private readonly stream: Writable) {}

  async row(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size >= 262_144) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    const done = once(this.stream, 'finish');
    this.stream.end();
    await done;
  }
}

async function copy(
  url: string,
  table: string,
  columns: string,
  produce: (w: CopyWriter) => Promise<void>,
  options: { freeze?: boolean } = {},
): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // Foreign keys are enforced by triggers, which do not fire in replica mode: the layout is
    // consistent by construction, and checking 10M rows one trigger call at a time would
    // dominate the load. Constraints stay declared (and valid) in the catalog.
    await client.query(`SET session_replication_role = replica`);
    await client.query('BEGIN');
    // FREEZE (tables nothing references): rows are written frozen and all-visible, so the
    // benchmarks read them without a VACUUM pass or hint-bit writes.
    if (options.freeze) await client.query(`TRUNCATE ${table}`);
    const stream = client.query(
      copyFrom(`COPY ${table} (${columns}) FROM STDIN${options.freeze ? ' WITH (FREEZE)' : ''}`),
    );
    const writer = new CopyWriter(stream);
    await produce(writer);
    await writer.end();
    await client.query('COMMIT');
    return writer.rows;
  } finally {
    await client.end();
  }
}

/**
 * Fills a freshly migrated database with the layout of `patients` patients. Secondary
 * indexes of the four bulk tables are dropped during the COPYs and rebuilt after, in
 * parallel; then everything is analyzed.
 */
export async function generateDataset(
  url: string,
  patients: number,
  log: (line: string) => void,
): Promise<DatasetMeta> {
  const started = Date.now();
  const layout = new Layout(patients);
  const progress = new Progress(
    patients * (1 + 1 + VITALS_PER_PATIENT + ASSESSMENTS_PER_PATIENT) + layout.users * 4,
    log,
  );
  const nowIso = iso(Date.now());

  const admin = new Client({ connectionString: url });
  await admin.connect();
  const tierIds = new Map<string, number>(
    (
      await admin.query<{ id: number; role_name: string }>(
        'SELECT id, role_name FROM ref_user_roles',
      )
    ).rows.map((r) => [r.role_name, r.id]),
  );
  const indexes = (
    await admin.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [BULK_TABLES],
    )
  ).rows;
  for (const index of indexes) await admin.query(`DROP INDEX ${index.indexname}`);
  log(
    `dataset: ${patients.toLocaleString('en')} patients, ${layout.tenants} tenants, ${layout.users.toLocaleString('en')} users; dropped ${indexes.length} secondary indexes for the load`,
  );

  const people = async (): Promise<void> => {
    await copy(url, 'tenants', 'id, name, seat_limit, created_at, updated_at', async (w) => {
      for (let t = 0; t < layout.tenants; t++)
        await w.row(`${layout.tenantId(t)}\tBench tenant ${t}\t100\t${nowIso}\t${nowIso}\n`);
    });
    await copy(url, 'clinics', 'tenant_id, id, name, created_at, updated_at', async (w) => {
      for (let t = 0; t < layout.tenants; t++)
        for (let c = 0; c < CLINICS_PER_TENANT; c++)
          await w.row(
            `${layout.tenantId(t)}\t${layout.clinicId(t, c)}\tClinic ${c}\t${nowIso}\t${nowIso}\n`,
          );
    });
    const expires = iso(Date.now() + 365 * DAY);
    await copy(
      url,
      'users',
      'id, email, display_name, platform_role, token_version, activated_at, created_at, updated_at',
      async (w) => {
        for (let u = 0; u < layout.users; u++) {
          const spec = layout.user(u);
          await w.row(
            `${spec.id}\tbench-${u}@bench.test\tBench user ${u}\t${spec.platformAdmin ? 'PLATFORM_ADMIN' : '\\N'}\t0\t${nowIso}\t${nowIso}\t${nowIso}\n`,
          );
        }
        progress.add(layout.users);
      },
    );
    await copy(url, 'user_profiles', 'user_id, role_id, role_expires_at, updated_at', async (w) => {
      for (let u = 0; u < layout.users; u++) {
        const spec = layout.user(u);
        const roleId = tierIds.get(spec.tier);
        if (roleId === undefined) throw new Error(`ref_user_roles has no ${spec.tier}`);
        // beta_observer is a time-boxed tier (PRODUCT.md): give it an expiry in the future.
        await w.row(
          `${spec.id}\t${roleId}\t${spec.tier === 'beta_observer' ? expires : '\\N'}\t${nowIso}\n`,
        );
      }
      progress.add(layout.users);
    });
    await copy(url, 'tenant_members', 'tenant_id, user_id, role, created_at', async (w) => {
      for (let u = 0; u < layout.users; u++) {
        const spec = layout.user(u);
        if (spec.tenant !== null)
          await w.row(
            `${layout.tenantId(spec.tenant)}\t${spec.id}\t${spec.tenantRole}\t${nowIso}\n`,
          );
      }
    });
    await copy(
      url,
      'clinic_members',
      'tenant_id, clinic_id, user_id, role, created_at',
      async (w) => {
        for (let u = 0; u < layout.users; u++) {
          const spec = layout.user(u);
          if (spec.tenant !== null && spec.clinic)
            await w.row(
              `${layout.tenantId(spec.tenant)}\t${layout.clinicId(spec.tenant, spec.clinic.index)}\t${spec.id}\t${spec.clinic.role}\t${nowIso}\n`,
            );
        }
        progress.add(layout.users);
      },
    );
    // One open login per user, so that any of them can be a benchmark caller.
    await copy(url, 'auth_sessions', 'id, user_id, method, created_at', async (w) => {
      for (let u = 0; u < layout.users; u++)
        await w.row(`${uuid(Kind.Session, u)}\t${layout.userId(u)}\tpassword\t${nowIso}\n`);
      progress.add(layout.users);
    });
  };

  const tenantOf = (t: number | null): string => (t === null ? '\\N' : layout.tenantId(t));

  const patientsTable = copy(
    url,
    'patients',
    'id, tenant_id, clinic_id, owner_id, subject_id, is_test, initials, substance, medications, phase, archived_at, created_at, updated_at',
    async (w) => {
      for (let i = 0; i < patients; i++) {
        const p = layout.patient(i);
        const h = mix(i, 4);
        const created = iso(p.createdAtMs);
        await w.row(
          `${p.id}\t${tenantOf(p.tenant)}\t${p.tenant !== null && p.clinic !== null ? layout.clinicId(p.tenant, p.clinic) : '\\N'}\t${layout.userId(p.owner)}\t${layout.subjectId(p)}\t${p.isTest ? 't' : 'f'}\t${INITIALS[h % INITIALS.length]}\t${SUBSTANCES[h % SUBSTANCES.length]}\t${MEDS[(h >>> 4) % MEDS.length]}\t${PHASES[(h >>> 8) % PHASES.length]}\t${p.archived ? iso(p.createdAtMs + 90 * DAY) : '\\N'}\t${created}\t${created}\n`,
        );
        if ((i & 1023) === 1023) progress.add(1024);
      }
      progress.add(patients % 1024);
    },
  );

  const treatments = copy(
    url,
    'treatment_sessions',
    'id, tenant_id, patient_id, substance, started_at, ended_at, created_by, created_at',
    async (w) => {
      for (let i = 0; i < patients; i++) {
        const p = layout.patient(i);
        const start = p.createdAtMs + 7 * DAY;
        const ended = mix(i, 5) % 10 === 0 ? '\\N' : iso(start + 6 * 3600_000);
        await w.row(
          `${uuid(Kind.Treatment, i)}\t${tenantOf(p.tenant)}\t${p.id}\t${SUBSTANCES[mix(i, 4) % SUBSTANCES.length]}\t${iso(start)}\t${ended}\t${layout.userId(p.owner)}\t${iso(start)}\n`,
        );
        if ((i & 1023) === 1023) progress.add(1024);
      }
      progress.add(patients % 1024);
    },
  );

  const vitals = copy(
    url,
    'vitals',
    'id, tenant_id, session_id, patient_id, recorded_at, heart_rate, systolic, diastolic, spo2, temperature_c, qt_ms, qtc_bazett_ms, qtc_fridericia_ms, alerts, created_by, created_at',
    async (w) => {
      let n = 0;
      for (let i = 0; i < patients; i++) {
        const p = layout.patient(i);
        const tenant = tenantOf(p.tenant);
        const session = uuid(Kind.Treatment, i);
        const owner = layout.userId(p.owner);
        const start = p.createdAtMs + 7 * DAY;
        for (let k = 0; k < VITALS_PER_PATIENT; k++, n++) {
          const h = mix(n, 6);
          const hr = 55 + (h % 50);
          const qt = 360 + ((h >>> 8) % 120);
          const rr = 60 / hr;
          const bazett = (qt / Math.sqrt(rr)).toFixed(1);
          const fridericia = (qt / Math.cbrt(rr)).toFixed(1);
          const alerts = Number(bazett) > 500 ? '[{"code":"QTC_OVER_500"}]' : '[]';
          const at = iso(start + k * 1_800_000);
          await w.row(
            `${uuid(Kind.Vital, n)}\t${tenant}\t${session}\t${p.id}\t${at}\t${hr}\t${100 + ((h >>> 4) % 60)}\t${60 + ((h >>> 12) % 30)}\t${92 + ((h >>> 16) % 9)}\t${(36 + ((h >>> 20) % 20) / 10).toFixed(1)}\t${qt}\t${bazett}\t${fridericia}\t${alerts}\t${owner}\t${at}\n`,
          );
        }
        if ((i & 1023) === 1023) progress.add(1024 * VITALS_PER_PATIENT);
      }
      progress.add((patients % 1024) * VITALS_PER_PATIENT);
    },
    { freeze: true },
  );

  const assessments = copy(
    url,
    'assessments',
    'id, tenant_id, patient_id, instrument, answers, score, severity, administered_at, created_by, created_at',
    async (w) => {
      let n = 0;
      for (let i = 0; i < patients; i++) {
        const p = layout.patient(i);
        const tenant = tenantOf(p.tenant);
        const owner = layout.userId(p.owner);
        for (let k = 0; k < ASSESSMENTS_PER_PATIENT; k++, n++) {
          const h = mix(n, 7);
          const items = k === 0 ? 9 : 7;
          const answers: number[] = [];
          for (let q = 0; q < items; q++) answers.push((h >>> (q * 2)) & 3);
          const score = answers.reduce((a, b) => a + b, 0);
          const severity =
            score >= 15 ? 'severe' : score >= 10 ? 'moderate' : score >= 5 ? 'mild' : 'minimal';
          const at = iso(p.createdAtMs + k * 30 * DAY);
          await w.row(
            `${uuid(Kind.Assessment, n)}\t${tenant}\t${p.id}\t${k === 0 ? 'PHQ9' : 'GAD7'}\t{${answers.join(',')}}\t${score}\t${severity}\t${at}\t${owner}\t${at}\n`,
          );
        }
        if ((i & 1023) === 1023) progress.add(1024 * ASSESSMENTS_PER_PATIENT);
      }
      progress.add((patients % 1024) * ASSESSMENTS_PER_PATIENT);
    },
    { freeze: true },
  );

  try {
    await Promise.all([people(), patientsTable, treatments, vitals, assessments]);
    progress.done();
    const loaded = Date.now();
    log(
      `dataset: rows copied in ${((loaded - started) / 1000).toFixed(1)} s; rebuilding ${indexes.length} indexes`,
    );
    // Two connections build indexes side by side (one per core on the reference machine).
    const queue = [...indexes].sort(
      (a, b) =>
        (a.indexdef.includes(' vitals ') ? -1 : 0) - (b.indexdef.includes(' vitals ') ? -1 : 0),
    );
    const worker = async (): Promise<void> => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`SET maintenance_work_mem = '256MB'`);
        for (let next = queue.shift(); next; next = queue.shift()) await c.query(next.indexdef);
      } finally {
        await c.end();
      }
    };
    await Promise.all([worker(), worker()]);
    log(
      `dataset: indexes rebuilt in ${((Date.now() - loaded) / 1000).toFixed(1)} s; vacuum analyze`,
    );
    await admin.query(
      'VACUUM (ANALYZE) patients, treatment_sessions, users, user_profiles, tenant_members, clinic_members, auth_sessions, tenants, clinics',
    );
    await admin.query('ANALYZE vitals, assessments');
    const meta: DatasetMeta = {
      version: DATASET_VERSION,
      patients,
      tenants: layout.tenants,
      users: layout.users,
      vitals: patients * VITALS_PER_PATIENT,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      generatedAt: new Date().toISOString(),
    };
    const db = (await admin.query<{ d: string }>('SELECT current_database() AS d')).rows[0].d;
    await admin.query(
      `COMMENT ON DATABASE "${db.replace(/"/g, '""')}" IS ${admin.escapeLiteral(JSON.stringify(meta))}`,
    );
    log(`dataset: done in ${meta.seconds} s`);
    return meta;
  } finally {
    await admin.end();
  }
}

/** The metadata a generated database carries (its COMMENT), or null. */
export async function datasetMeta(url: string): Promise<DatasetMeta | null> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
  } catch {
    return null;
  }
  try {
    const r = await client.query<{ c: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = current_database()`,
    );
    const text = r.rows[0]?.c;
    if (!text) return null;
    const meta = JSON.parse(text) as DatasetMeta;
    return meta.version === DATASET_VERSION ? meta : null;
  } catch {
    return null;
  } finally {
    await client.end();
  }
}
