import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { isPlatformAdmin } from '../../abilities/ability.factory';
import type { AccessContext } from '../../abilities/access-context';
import type { Action } from '../../abilities/actions';
import { actionDenial } from '../../abilities/denials';
import {
  accessibleBranches,
  accessibleCondition,
  SQL_TRUE,
  type SqlCondition,
  type SubjectSqlMap,
  toPositional,
} from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import type { SubjectType } from '../../abilities/subjects';
import { Errors } from '../../common/errors/api-exception';
import { decodeCursor, PageQueryDto } from '../../common/pagination/pagination';

/**
 * Positional parameters for raw SQL (`db.manager.query`), so that the ability's named
 * conditions, keysets and filters can be concatenated into one statement.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** Appends a named-parameter condition (from `accessibleCondition`) renumbered after ours. */
  condition(condition: SqlCondition): string {
    const positional = toPositional(condition, this.values.length);
    this.values.push(...positional.values);
    return `(${positional.sql})`;
  }
}

/**
 * The scope of records under a patient (D12) applied directly to a joined `patients` alias:
 * their rules only name `patient.<field>`, so they translate onto the patient's own columns
 * without a correlated EXISTS. Any other field in such a rule has no column here, and the
 * translator then refuses to build a filter (fail closed).
 */
export const PATIENT_OF_CHILD_SQL: SubjectSqlMap = {
  table: 'patients',
  fields: {
    'patient.id': 'id',
    'patient.ownerId': 'owner_id',
    'patient.tenantId': 'tenant_id',
    'patient.clinicId': 'clinic_id',
    'patient.isTest': 'is_test',
  },
};

export type PatientChildSubject = 'TreatmentSession' | 'Assessment';

/** Rows of `patients` (alias `p`) in the caller's scope for `action` on `subject`. */
export function patientScopeSql(
  access: AccessContext,
  action: Action,
  subject: 'Patient' | PatientChildSubject,
  params: SqlParams,
  alias = 'p',
): string {
  const condition =
    subject === 'Patient'
      ? accessibleCondition(access.ability, action, 'Patient', SUBJECT_SQL.Patient, alias)
      : accessibleCondition(access.ability, action, subject, PATIENT_OF_CHILD_SQL, alias);
  return params.condition(condition);
}

/** Whether a scope from patientScopeSql admits every row (the platform's unconditional rule). */
export function isWholeScope(scopeSql: string): boolean {
  // SqlParams.condition wraps the condition in parentheses; an unconditional one is TRUE.
  return scopeSql === `(${SQL_TRUE.sql})`;
}

/**
 * The caller's scope on `patients` (alias `p`) as one predicate per ability rule (their OR is
 * `patientScopeSql`), for lists built as a UNION of per-rule pages. Empty: no row.
 */
export function patientScopeBranches(
  access: AccessContext,
  action: Action,
  params: SqlParams,
  alias = 'p',
): string[] {
  return accessibleBranches(access.ability, action, 'Patient', SUBJECT_SQL.Patient, alias).map(
    (branch) => params.condition(branch),
  );
}

/** `?includeTest=` of lists, dashboards, exports and analytics (API.md "Test data"). */
export class IncludeTestQueryDto {
  @ApiPropertyOptional({
    description:
      'PLATFORM_ADMIN only: include test (partner) rows; anyone else gets 403 action_denied',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  includeTest?: boolean;
}

export class ClinicalPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'PLATFORM_ADMIN only: include test (partner) rows; anyone else gets 403 action_denied',
    default: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  includeTest?: boolean;
}

/**
 * The test-row rule of lists (API.md): live callers never match a test row (their scope says
 * `isTest: false`), partners see their own; a PLATFORM_ADMIN's unconditional scope would
 * include every test row, so they are cut here unless it asked with `includeTest=true`,
 * which nobody else may ask for. Returns a SQL predicate on `<alias>.is_test`.
 */
export function testRowsSql(
  access: AccessContext,
  includeTest: boolean | undefined,
  alias = 'p',
): string {
  if (includeTest === true && !isPlatformAdmin(access.principal)) {
    throw Errors.forbidden('action_denied', {
      ...actionDenial(access.principal, access.rule.feature, 'read', 'list'),
      reason:
        'includeTest=true is for platform admins only: test rows are visible to their owner and the platform.',
    });
  }
  return isPlatformAdmin(access.principal) && includeTest !== true
    ? `${alias}.is_test = FALSE`
    : 'TRUE';
}

/** The keyset predicate `(<ts>, <id>) <op> (cursor)` for `?cursor=`, `TRUE` on the first page. */
export function keysetSql(
  cursor: string | undefined,
  tsColumn: string,
  idColumn: string,
  params: SqlParams,
  direction: 'desc' | 'asc' = 'desc',
): string {
  const keyset = decodeCursor(cursor);
  if (!keyset) return 'TRUE';
  const op = direction === 'desc' ? '<' : '>';
  return `(${tsColumn}, ${idColumn}) ${op} (${params.add(keyset.createdAt)}::timestamptz, ${params.add(keyset.id)}::uuid)`;
}

/** The caller's RLS identity, as the request transaction sets it (for own transactions). */
export { sessionContextOf as dbSessionContextOf } from '../../database/session-context';

export function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function num(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

/** The subject type of a CASL record check for children under a patient. */
export type ScopedSubject = Extract<SubjectType, 'Patient' | PatientChildSubject | 'Protocol'>;
