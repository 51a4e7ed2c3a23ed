import { randomBytes } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PLATFORM_ADMIN } from '../../abilities/platform-roles';
import type { ClinicRole, TenantRole } from '../../abilities/tenancy-roles';
import { isPartnerTier, TIERS, type Tier } from '../../abilities/tiers';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/request-context';
import { CLI_ACTOR } from '../admin/admin-audit';
import { inTransaction } from '../admin/transactions';
import { buildMockDataset, type MockPatientKey } from '../partners/mock-data';
import { writeMockDataset } from '../partners/mock-data-writer';
import { PartnersService } from '../partners/partners.service';
import { UsersService } from '../users/users.service';

/**
 * The demo password of the embedded development database only (README "Demo data"): that
 * database lives under var/ on a developer's machine and is reachable from localhost only.
 * Any other database gets a random password, printed once at seed time.
 */
export const EMBEDDED_DEMO_PASSWORD = 'ppn-demo-password';
export const DEMO_DOMAIN = 'demo.test';
/** The seed's marker: when this account exists the demo is considered seeded. */
export const DEMO_ADMIN_EMAIL = `platform-admin@${DEMO_DOMAIN}`;

export interface DemoLogin {
  readonly email: string;
  readonly tier: Tier;
  readonly role: string;
}

export interface DemoSeedResult {
  readonly created: boolean;
  /** Null when the demo already existed (its password was printed when it was seeded). */
  readonly password: string | null;
  readonly logins: readonly DemoLogin[];
}

interface DemoUser {
  readonly key: string;
  readonly tier: Tier;
  readonly role: string;
  readonly displayName: string;
  readonly platformAdmin?: boolean;
  readonly tenantRole?: TenantRole;
  readonly clinic?: { readonly name: 'north' | 'south'; readonly role: ClinicRole };
  /** Live demo patients (shapes of the mock dataset), placed in the user's clinic or tenant. */
  readonly livePatients?: readonly MockPatientKey[];
}

const TENANCY_USERS: readonly DemoUser[] = [
  {
    key: 'platform-admin',
    tier: 'admin',
    role: 'PLATFORM_ADMIN',
    displayName: 'Platform Admin',
    platformAdmin: true,
  },
  {
    key: 'owner',
    tier: 'owner',
    role: 'tenant OWNER',
    displayName: 'Olivia Owner',
    tenantRole: 'OWNER',
  },
  {
    key: 'tenant-admin',
    tier: 'user_enterprise',
    role: 'tenant ADMIN',
    displayName: 'Adam Tenant-Admin',
    tenantRole: 'ADMIN',
    livePatients: ['B'],
  },
  {
    key: 'clinic-admin',
    tier: 'user_enterprise',
    role: 'tenant MEMBER, clinic ADMIN (North)',
    displayName: 'Clara Clinic-Admin',
    tenantRole: 'MEMBER',
    clinic: { name: 'north', role: 'ADMIN' },
    livePatients: ['C'],
  },
  {
    key: 'clinic-member',
    tier: 'user_pro',
    role: 'tenant MEMBER, clinic MEMBER (North)',
    displayName: 'Milo Clinic-Member',
    tenantRole: 'MEMBER',
    clinic: { name: 'north', role: 'MEMBER' },
    livePatients: ['A'],
  },
  {
    key: 'south-member',
    tier: 'user_premium',
    role: 'tenant MEMBER, clinic MEMBER (South)',
    displayName: 'Sofia South-Member',
    tenantRole: 'MEMBER',
    clinic: { name: 'south', role: 'MEMBER' },
    livePatients: ['B'],
  },
  {
    key: 'member',
    tier: 'user_premium',
    role: 'tenant MEMBER, no clinic',
    displayName: 'Max Member',
    tenantRole: 'MEMBER',
  },
  {
    key: 'solo',
    tier: 'user_pro',
    role: 'solo practitioner (no tenant)',
    displayName: 'Sam Solo',
    livePatients: ['A'],
  },
];

/**
 * The demo data set (API.md "Operations and bootstrap"): a PLATFORM_ADMIN, a tenant with two
 * clinics, a user per tenancy role and per tier, the partners' own mock patients, and live
 * patients in the tenant and for the solo practitioner. Seeded once: `npm start` on the
 * embedded database (DEMO_SEED unset or true; DEMO_SEED=true forces it on any database) and
 * `npm run cli -- seed-demo`.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly db: Db,
    private readonly users: UsersService,
    private readonly partners: PartnersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const wanted = this.config.env.DEMO_SEED ?? this.config.embeddedDatabase;
    if (!wanted) return;
    const result = await this.seed();
    printDemoLogins(result);
  }

  demoPassword(): string {
    return this.config.embeddedDatabase
      ? EMBEDDED_DEMO_PASSWORD
      : randomBytes(12).toString('base64url');
  }

  async isSeeded(): Promise<boolean> {
    const rows: unknown[] = await this.db.manager.query(`SELECT 1 FROM users WHERE email = $1`, [
      DEMO_ADMIN_EMAIL,
    ]);
    return rows.length > 0;
  }

  async seed(password = this.demoPassword()): Promise<DemoSeedResult> {
    const logins = demoLogins();
    if (await this.isSeeded()) {
      return {
        created: false,
        password: this.config.embeddedDatabase ? EMBEDDED_DEMO_PASSWORD : null,
        logins,
      };
    }
    await inTransaction(this.db, async () => {
      const m = this.db.manager;
      const [tenant] = await m.query<{ id: string }[]>(
        `INSERT INTO tenants (name, seat_limit) VALUES ('Demo Clinic Group', 10) RETURNING id`,
      );
      const clinics = await m.query<{ id: string; name: string }[]>(
        `INSERT INTO clinics (tenant_id, name) VALUES ($1, 'North Clinic'), ($1, 'South Clinic') RETURNING id, name`,
        [tenant.id],
      );
      const clinicId = (name: 'north' | 'south'): string =>
        clinics.find((c) => c.name.toLowerCase().startsWith(name))?.id ?? '';

      for (const u of TENANCY_USERS) {
        const user = await this.users.create(
          {
            email: `${u.key}@${DEMO_DOMAIN}`,
            displayName: u.displayName,
            password,
            tier: u.tier,
            platformRole: u.platformAdmin ? PLATFORM_ADMIN : null,
          },
          m,
        );
        if (u.tenantRole) {
          await m.query(
            `INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)`,
            [tenant.id, user.id, u.tenantRole],
          );
        }
        if (u.clinic) {
          await m.query(
            `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $3, $4)`,
            [tenant.id, clinicId(u.clinic.name), user.id, u.clinic.role],
          );
        }
        if (u.livePatients) {
          const dataset = buildMockDataset(user.id, new Date());
          const placement = {
            tenantId: u.tenantRole ? tenant.id : null,
            clinicId: u.clinic ? clinicId(u.clinic.name) : null,
          };
          await writeMockDataset(
            m,
            user.id,
            {
              ...dataset,
              patients: dataset.patients.filter((p) => u.livePatients?.includes(p.key)),
            },
            placement,
          );
        }
      }

      // One solo account per tier; partner tiers are provisioned like POST /admin/partners
      // (with their own mock patients A, B, C; D10 for beta_observer) but get a password.
      const in30Days = new Date(Date.now() + 30 * 24 * 3_600_000);
      for (const tier of TIERS) {
        const email = `tier-${tier.replace(/_/g, '-')}@${DEMO_DOMAIN}`;
        const displayName = `Demo ${tier}`;
        if (isPartnerTier(tier)) {
          await this.partners.provision(
            {
              email,
              displayName,
              // Legacy `partner` is not provisionable through the API; the demo shows it anyway.
              tier,
              tierExpiresAt: tier === 'beta_observer' ? in30Days.toISOString() : undefined,
            },
            CLI_ACTOR,
            { password },
          );
        } else {
          await this.users.create({ email, displayName, password, tier }, m);
        }
      }
    });
    return { created: true, password, logins };
  }
}

export function demoLogins(): DemoLogin[] {
  return [
    ...TENANCY_USERS.map((u) => ({ email: `${u.key}@${DEMO_DOMAIN}`, tier: u.tier, role: u.role })),
    ...TIERS.map((tier) => ({
      email: `tier-${tier.replace(/_/g, '-')}@${DEMO_DOMAIN}`,
      tier,
      role: isPartnerTier(tier) ? 'partner (own mock patients A, B, C)' : 'solo (no tenant)',
    })),
  ];
}

/** The logins, on stdout (the point of a demo seed is that a human reads them). */
export function printDemoLogins(
  result: DemoSeedResult,
  write: (line: string) => void = (l) => console.log(l),
): void {
  write(result.created ? 'Demo data seeded. Logins:' : 'Demo data already present. Logins:');
  const width = Math.max(...result.logins.map((l) => l.email.length));
  for (const login of result.logins)
    write(`  ${login.email.padEnd(width)}  ${login.tier.padEnd(15)}  ${login.role}`);
  write(
    result.password
      ? `  password (all demo accounts): ${result.password}`
      : '  password: the one printed when the demo was first seeded (only its hash is stored)',
  );
}
