import type { TestApp } from '../harness/test-app';
import { fillPath, type SweepRoute } from './route-inventory';
import { kindOfField, PARAM_VALUES, validBody } from './schema-values';
import {
  byMethodOrder,
  codeOf,
  describeCall,
  GUARD_CODES,
  isExactNotFound,
  leakedSecrets,
  send,
  type Answer,
  type Call,
} from './sweep';
import {
  CALLER_NAMES,
  POSITIONS,
  visible,
  type Bundle,
  type Caller,
  type RecordKind,
  type World,
} from './world';

export interface BolaResult {
  readonly routes: Set<string>;
  cases: number;
  notFound: number;
  guard403: number;
  mixed: number;
  references: number;
  skippedVisible: number;
  readonly failures: string[];
}

/** A uuid no row has: the control every out-of-scope answer is compared with. */
const MISSING = '00000000-0000-4000-8000-000000000000';
const is2xx = (a: Answer): boolean => a.status >= 200 && a.status < 300;
/** Two errors must be identical; two successes (a filter naming nothing) need the same status. */
const sameAnswer = (a: Answer, b: Answer): boolean =>
  a.status === b.status && (is2xx(a) || JSON.stringify(a.body) === JSON.stringify(b.body));

/**
 * The oracle, per case: the answer for the out-of-scope record must equal the answer for a
 * uuid that exists nowhere (so existence is not revealed), must not be 2xx, must not contain
 * any value of the record's bundle, and (when every named record is out of scope) must be the
 * exact `not_found` body or a guard-level 403.
 */
export async function runBolaSweep(
  t: TestApp,
  world: World,
  routes: readonly SweepRoute[],
): Promise<BolaResult> {
  const result: BolaResult = {
    routes: new Set(),
    cases: 0,
    notFound: 0,
    guard403: 0,
    mixed: 0,
    references: 0,
    skippedVisible: 0,
    failures: [],
  };
  const attackers = CALLER_NAMES.filter((n) => n !== 'platformAdmin').map((n) => world.callers[n]);
  const missingCache = new Map<string, Answer>();

  const check = async (
    route: SweepRoute,
    caller: Caller,
    attack: Call,
    control: Call,
    secrets: readonly string[],
    allForeign: boolean,
  ): Promise<void> => {
    result.cases += 1;
    result.routes.add(route.key);
    const answer = await send(t, attack);
    const controlKey = `${caller.name} ${describeCall(control)}`;
    let missing = missingCache.get(controlKey);
    if (!missing) {
      missing = await send(t, control);
      missingCache.set(controlKey, missing);
    }
    const where = `${caller.name}: ${describeCall(attack)} → ${answer.status} ${JSON.stringify(answer.body)}`;
    const leaks = leakedSecrets(answer, secrets);
    if (leaks.length) result.failures.push(`${where}: body carries ${leaks.join(', ')}`);
    if (is2xx(answer) && !is2xx(missing))
      result.failures.push(`${where}: succeeded on an out-of-scope record`);
    if (!sameAnswer(answer, missing)) {
      result.failures.push(
        `${where}: differs from a missing id (${missing.status} ${JSON.stringify(missing.body)})`,
      );
    }
    if (allForeign) {
      if (isExactNotFound(answer)) result.notFound += 1;
      else if (
        answer.status === 403 &&
        (GUARD_CODES as readonly unknown[]).includes(codeOf(answer))
      )
        result.guard403 += 1;
      else result.failures.push(`${where}: expected exactly 404 not_found (or a guard 403)`);
    }
  };

  const ordered = byMethodOrder(routes).filter((r) => r.access !== 'public');
  for (const route of ordered) {
    const unknown = route.idParams.filter((p) => kindOfField(p, route.path) === null);
    if (unknown.length)
      result.failures.push(
        `${route.key}: no fixture for :${unknown.join(', :')} — add its record kind to test/security`,
      );
  }
  // Callers attack in parallel (each in method order: reads, writes, deletes last).
  await Promise.all(attackers.map((caller) => attackAs(caller)));
  return result;

  async function attackAs(caller: Caller): Promise<void> {
    for (const route of ordered) {
      const kinds = route.pathParams.map((p) =>
        PARAM_VALUES[p] ? null : kindOfField(p, route.path),
      );
      if (route.idParams.some((p) => kindOfField(p, route.path) === null)) continue;
      const pathValues = (
        bundle: Partial<Record<RecordKind, string>>,
      ): Record<string, string> | null => {
        const values: Record<string, string> = {};
        for (const [i, p] of route.pathParams.entries()) {
          const kind = kinds[i];
          const value = kind ? bundle[kind] : PARAM_VALUES[p];
          if (!value) return null;
          values[p] = value;
        }
        return values;
      };

      {
        const body = validBody(route, caller.home);
        // 1. Every record the path names comes from one foreign position.
        if (route.idParams.length) {
          for (const position of POSITIONS) {
            const bundle = world.positions[position];
            const values = pathValues(bundle);
            if (!values) continue;
            const hidden = route.pathParams.filter(
              (p, i) => kinds[i] && !visible(caller, kinds[i], position),
            );
            if (!hidden.length) {
              result.skippedVisible += 1;
              continue;
            }
            const control = { ...values };
            for (const p of hidden) control[p] = MISSING;
            const mk = (v: Record<string, string>): Call => ({
              method: route.method,
              path: fillPath(route.path, v),
              token: caller.token,
              body,
            });
            const allHidden =
              hidden.length === route.idParams.length || hidden[0] === route.idParams[0];
            await check(route, caller, mk(values), mk(control), bundle.secrets, allHidden);
            // 2. Mixed: the caller's own parent record, a foreign child (own session + foreign event).
            for (let k = 1; k < route.idParams.length; k++) {
              const home = pathValues(caller.home);
              if (!home) break;
              const mixed: Record<string, string> = { ...values };
              const mixedControl: Record<string, string> = { ...values };
              route.idParams.forEach((p, i) => {
                if (i < k) mixed[p] = mixedControl[p] = home[p] ?? '';
                else mixedControl[p] = MISSING;
              });
              const foreignKinds = route.idParams.slice(k).map((p) => kindOfField(p, route.path));
              if (foreignKinds.every((kind) => kind && visible(caller, kind, position))) continue;
              result.mixed += 1;
              await check(route, caller, mk(mixed), mk(mixedControl), bundle.secrets, false);
            }
          }
        }
        // 3. A uuid in the body or query naming a foreign record (`patientId`, `clinicId`, …).
        const home = pathValues(caller.home);
        if (!home) continue;
        const refFields = [
          ...Object.entries(route.body?.properties ?? {})
            .filter(([, s]) => s.format === 'uuid')
            .map(([name]) => ({ name, in: 'body' as const })),
          ...route.query
            .filter((q) => q.schema?.format === 'uuid')
            .map((q) => ({ name: q.name, in: 'query' as const })),
        ];
        for (const field of refFields) {
          const kind = kindOfField(field.name);
          if (!kind) continue;
          for (const position of POSITIONS) {
            const bundle: Bundle = world.positions[position];
            const foreign = bundle[kind];
            if (!foreign || visible(caller, kind, position)) continue;
            const withRef = (value: string): Call => ({
              method: route.method,
              path: fillPath(route.path, home),
              token: caller.token,
              body: field.in === 'body' ? { ...(body ?? {}), [field.name]: value } : body,
              query: field.in === 'query' ? { [field.name]: value } : undefined,
            });
            result.references += 1;
            await check(route, caller, withRef(foreign), withRef(MISSING), bundle.secrets, false);
          }
        }
      }
    }
  }
}
