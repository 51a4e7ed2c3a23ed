import { createPublicKey } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import {
  buildAbility,
  type AbilityInput,
  type AppAbility,
} from '../../src/abilities/ability.factory';
import type { AccessContext } from '../../src/abilities/access-context';
import type { RouteRule } from '../../src/abilities/authorize.decorator';
import { featureDenial } from '../../src/abilities/denials';
import type { Feature } from '../../src/abilities/features';
import { verifyJwt } from '../../src/auth/jwt/jwt';
import {
  accessClaimsOf,
  principalQuery,
  type PrincipalRow,
  principalFromRow,
} from '../../src/auth/principal-loader';
import type { Principal } from '../../src/auth/principal';
import { pageLimit, toPage } from '../../src/common/pagination/pagination';
import {
  type PatientPageRow,
  type PatientRow,
  patientInScopeQuery,
  patientListQuery,
  toPatientDto,
} from '../../src/modules/patients/patients.service';

/**
 * The raw baseline of `npm run bench`: node:http + pg, no framework, no ORM, no request
 * transaction. It answers GET /patients and GET /patients/:id with exactly the statements the
 * app runs for the same caller (patientListQuery / patientInScopeQuery build both), after
 * the same authentication: the app's JWT verifier (pinned algorithm, iss, aud, exp) and the
 * app's one-query principal lookup (PRINCIPAL_SQL), and the same cached CASL ability and
 * feature check. It is the floor the app is measured against.
 *
 * Environment: DATABASE_URL, PORT, JWT_PUBLIC_KEY (PEM), JWT_ISSUER, JWT_AUDIENCE, DATABASE_POOL_MAX.
 */
const env = process.env;
const publicKey = createPublicKey(String(env.JWT_PUBLIC_KEY));
const verifyOptions = {
  algorithms: ['EdDSA'],
  issuer: env.JWT_ISSUER ?? 'clinic-rbac',
  audience: env.JWT_AUDIENCE ?? 'clinic-rbac-api',
  clockToleranceSec: 5,
};
const pool = new Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DATABASE_POOL_MAX ?? 10),
});
const RULE: RouteRule = { action: 'read', subject: 'Patient', feature: 'wellness_journey' };
const NO_FLAGS: ReadonlySet<Feature> = new Set();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const abilities = new Map<string, AppAbility>();

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

async function authenticate(req: IncomingMessage): Promise<Principal | null> {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  let claims;
  try {
    claims = accessClaimsOf(verifyJwt(header.slice(7), publicKey, verifyOptions));
  } catch {
    return null;
  }
  if (!claims) return null;
  const { rows } = await pool.query<PrincipalRow>(principalQuery(claims));
  return principalFromRow(rows[0], claims);
}

function accessFor(principal: Principal, requestId: string): AccessContext | null {
  const input: AbilityInput = { principal, disabledFeatures: NO_FLAGS, now: new Date() };
  const key = `${principal.id}:${principal.tokenVersion}`;
  let ability = abilities.get(key);
  if (!ability) {
    ability = buildAbility(input);
    abilities.set(key, ability);
  }
  if (featureDenial(input, 'wellness_journey', 'read') || !ability.can('read', 'Patient'))
    return null;
  return { principal, ability, input, rule: RULE, requestId };
}

let requestCounter = 0;
async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' || !path.startsWith('/patients'))
    return send(res, 404, { error: 'not_found' });
  const principal = await authenticate(req);
  if (!principal) return send(res, 401, { error: 'unauthenticated' });
  const access = accessFor(principal, String(++requestCounter));
  if (!access) return send(res, 403, { error: 'forbidden' });
  if (path === '/patients') {
    const limit = pageLimit(undefined);
    const statement = patientListQuery(access, {}, limit);
    const { rows } = await pool.query<PatientPageRow>(statement.sql, statement.values);
    return send(
      res,
      200,
      toPage(rows, limit, (r) => r.id, toPatientDto),
    );
  }
  const id = path.slice('/patients/'.length);
  if (!UUID.test(id)) return send(res, 400, { error: 'validation_failed' });
  const statement = patientInScopeQuery(access, 'read', 'Patient', id.toLowerCase(), false);
  const { rows } = await pool.query<PatientRow>(statement.sql, statement.values);
  if (!rows[0]) return send(res, 404, { error: 'not_found' });
  return send(res, 200, toPatientDto(rows[0]));
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(error);
    if (!res.headersSent) send(res, 500, { error: 'internal' });
  });
});
server.keepAliveTimeout = 72_000;
server.listen(Number(env.PORT ?? 3901), '127.0.0.1', () =>
  console.log(`baseline listening on ${String(env.PORT ?? 3901)}`),
);
process.on('SIGTERM', () => {
  server.close();
  void pool.end();
});
