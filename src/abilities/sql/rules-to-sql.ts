import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Action } from '../actions';
import type { AppAbility } from '../ability.factory';
import type { SubjectType } from '../subjects';

/**
 * How a CASL subject maps onto SQL: its table's columns, and relations reachable from it
 * (conditions such as `patient.clinicId` become a correlated EXISTS on the related table).
 */
export interface SubjectSqlMap {
  readonly table: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly relations?: Readonly<Record<string, RelationSqlMap>>;
}

export interface RelationSqlMap {
  readonly table: string;
  /** Correlates the related row (alias `rel`) with the root row (alias `root`). */
  readonly on: (root: string, rel: string) => string;
  readonly fields: Readonly<Record<string, string>>;
}

/** A WHERE fragment with TypeORM-style named parameters (`:name`). */
export interface SqlCondition {
  readonly sql: string;
  readonly params: Record<string, unknown>;
}

export const SQL_TRUE: SqlCondition = { sql: 'TRUE', params: {} };
export const SQL_FALSE: SqlCondition = { sql: 'FALSE', params: {} };

type Query = Readonly<Record<string, unknown>>;

let callCounter = 0;

/**
 * Test-only switch that turns every application-level row filter into TRUE, to prove that
 * PostgreSQL row-level security alone still hides out-of-scope rows. Refused outside tests.
 */
let appFiltersDisabled = false;
export function disableAppFiltersForTests(disabled: boolean): void {
  if (disabled && process.env.NODE_ENV !== 'test')
    throw new Error('App filters can only be disabled under NODE_ENV=test');
  appFiltersDisabled = disabled;
}

class Translator {
  private readonly params: Record<string, unknown> = {};
  private paramCount = 0;
  private relationCount = 0;

  constructor(
    private readonly map: SubjectSqlMap,
    private readonly alias: string,
    private readonly prefix: string,
  ) {}

  result(sql: string): SqlCondition {
    return { sql, params: this.params };
  }

  param(value: unknown): string {
    const name = `${this.prefix}${this.paramCount++}`;
    this.params[name] = value;
    return `:${name}`;
  }

  /** A rule's conditions: a conjunction; relation fields grouped into one EXISTS per relation. */
  query(query: Query): string {
    const own: string[] = [];
    const byRelation = new Map<string, [string, unknown][]>();
    for (const [key, value] of Object.entries(query)) {
      if (key === '$and' || key === '$or' || key === '$nor') {
        if (!Array.isArray(value) || value.length === 0)
          throw new Error(`Unsupported ${key} condition`);
        const parts = (value as Query[]).map((q) => `(${this.query(q)})`);
        own.push(
          key === '$and'
            ? parts.join(' AND ')
            : key === '$or'
              ? `(${parts.join(' OR ')})`
              : `NOT (${parts.join(' OR ')})`,
        );
        continue;
      }
      const dot = key.indexOf('.');
      if (dot > 0 && this.map.relations?.[key.slice(0, dot)]) {
        const relation = key.slice(0, dot);
        byRelation.set(relation, [
          ...(byRelation.get(relation) ?? []),
          [key.slice(dot + 1), value],
        ]);
        continue;
      }
      const column = this.map.fields[key];
      if (!column)
        throw new Error(
          `No column mapped for ${this.map.table}.${key}: refusing to build a partial filter`,
        );
      own.push(this.predicate(`${this.alias}.${column}`, value));
    }
    for (const [name, entries] of byRelation) {
      const relation = this.map.relations![name];
      const relAlias = `${this.alias}_${name}_${this.relationCount++}`;
      const inner = entries.map(([field, value]) => {
        const column = relation.fields[field];
        if (!column) throw new Error(`No column mapped for ${relation.table}.${field}`);
        return this.predicate(`${relAlias}.${column}`, value);
      });
      own.push(
        `EXISTS (SELECT 1 FROM ${relation.table} ${relAlias} WHERE ${relation.on(this.alias, relAlias)} AND ${inner.join(' AND ')})`,
      );
    }
    return own.length ? own.join(' AND ') : 'TRUE';
  }

  private predicate(column: string, value: unknown): string {
    if (value === null) return `${column} IS NULL`;
    if (typeof value !== 'object' || value instanceof Date)
      return `${column} = ${this.param(value)}`;
    if (Array.isArray(value)) throw new Error(`Array equality is not supported for ${column}`);
    const parts = Object.entries(value as Query).map(([op, operand]) =>
      this.operator(column, op, operand),
    );
    if (parts.length === 0) throw new Error(`Empty condition for ${column}`);
    return parts.join(' AND ');
  }

  private operator(column: string, op: string, operand: unknown): string {
    switch (op) {
      case '$eq':
        return operand === null ? `${column} IS NULL` : `${column} = ${this.param(operand)}`;
      case '$ne':
        return operand === null
          ? `${column} IS NOT NULL`
          : `${column} IS DISTINCT FROM ${this.param(operand)}`;
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand)) throw new Error(`${op} needs an array`);
        if (operand.length === 0) return op === '$in' ? 'FALSE' : 'TRUE';
        const sql = `${column} = ANY(${this.param(operand)})`;
        return op === '$in' ? sql : `NOT (${sql})`;
      }
      case '$lt':
        return `${column} < ${this.param(operand)}`;
      case '$lte':
        return `${column} <= ${this.param(operand)}`;
      case '$gt':
        return `${column} > ${this.param(operand)}`;
      case '$gte':
        return `${column} >= ${this.param(operand)}`;
      default:
        // Fail closed: an operator we cannot express would otherwise widen the filter.
        throw new Error(`Unsupported condition operator ${op} on ${column}`);
    }
  }
}

interface TranslatedRules {
  readonly translator: Translator;
  /** One conjunction per regular rule with conditions (OR-ed together). */
  readonly allowed: string[];
  /** `NOT (…)` per inverted rule with conditions before the search stopped (AND-ed). */
  readonly denied: string[];
  /** A regular rule without conditions was reached: every row, minus `denied`. */
  readonly unconditional: boolean;
}

function translateRules(
  ability: AppAbility,
  action: Action,
  subject: SubjectType,
  map: SubjectSqlMap,
  alias: string,
): TranslatedRules {
  const translator = new Translator(map, alias, `acl${callCounter++ % 1_000_000}_`);
  const allowed: string[] = [];
  const denied: string[] = [];
  let unconditional = false;
  for (const rule of ability.rulesFor(action, subject)) {
    const conditions = rule.conditions;
    if (rule.inverted) {
      if (!conditions) break;
      denied.push(`NOT (${translator.query(conditions)})`);
      continue;
    }
    if (!conditions) {
      unconditional = true;
      break;
    }
    allowed.push(`(${translator.query(conditions)})`);
  }
  return { translator, allowed, denied, unconditional };
}

/**
 * Turns the ability's rules for (action, subject) into a SQL condition on `alias`, with the
 * semantics of CASL's own `rulesToQuery`: rules are read in priority order; an inverted rule
 * with conditions adds `AND NOT (…)`, one without stops the search; a regular rule without
 * conditions allows every row (still minus earlier inverted conditions); the regular rules'
 * conditions are OR-ed. No rule at all → FALSE (default deny).
 */
export function accessibleCondition(
  ability: AppAbility,
  action: Action,
  subject: SubjectType,
  map: SubjectSqlMap,
  alias: string,
): SqlCondition {
  if (appFiltersDisabled) return SQL_TRUE;
  const { translator, allowed, denied, unconditional } = translateRules(
    ability,
    action,
    subject,
    map,
    alias,
  );
  if (!unconditional && allowed.length === 0) return SQL_FALSE;
  const parts = [...(unconditional ? [] : [`(${allowed.join(' OR ')})`]), ...denied];
  return translator.result(parts.length ? parts.join(' AND ') : 'TRUE');
}

/**
 * The same scope as `accessibleCondition`, as one condition per regular rule (each carrying
 * every inverted condition): their OR is exactly `accessibleCondition`. Lists use them as the
 * branches of a UNION, so that each branch walks the index its rule leads with (tenant, clinic,
 * owner) and stops after one page instead of reading every row of the OR. An empty array means
 * no row (default deny); an unconditional rule gives a single branch.
 */
export function accessibleBranches(
  ability: AppAbility,
  action: Action,
  subject: SubjectType,
  map: SubjectSqlMap,
  alias: string,
): SqlCondition[] {
  if (appFiltersDisabled) return [SQL_TRUE];
  const { translator, allowed, denied, unconditional } = translateRules(
    ability,
    action,
    subject,
    map,
    alias,
  );
  const branches = unconditional ? ['TRUE'] : allowed;
  return branches.map((branch) => translator.result([branch, ...denied].join(' AND ')));
}

/** Adds the caller's scope to a query builder: rows the ability does not allow never load. */
export function whereAccessible<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  ability: AppAbility,
  action: Action,
  subject: SubjectType,
  map: SubjectSqlMap,
  alias: string = qb.alias,
): SelectQueryBuilder<T> {
  const condition = accessibleCondition(ability, action, subject, map, alias);
  return qb.andWhere(`(${condition.sql})`, condition.params);
}

/** Named `:params` → positional `$n`, for raw `pg` queries (benchmarks, RLS tests). */
export function toPositional(
  condition: SqlCondition,
  offset = 0,
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const index = new Map<string, number>();
  const sql = condition.sql.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    if (!(name in condition.params)) return `:${name}`;
    let i = index.get(name);
    if (i === undefined) {
      values.push(condition.params[name]);
      i = values.length + offset;
      index.set(name, i);
    }
    return `$${i}`;
  });
  return { sql, values };
}
