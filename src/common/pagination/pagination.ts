import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Errors } from '../errors/api-exception';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** `?limit=&cursor=` of every list (API.md "Lists"). Extend it for routes with more filters. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor: the `nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** OpenAPI shape of a page; subclass with a typed `items` per resource. */
export abstract class PageDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `?cursor=` for the next page; null on the last',
    example:
      'WyIyMDI2LTExLTIzIDA5OjMwOjAwLjEyMzQ1NiswMCIsIjVmMGM5YTUyLThkMGItNGM0ZS05YTNlLTJiN2YxYzZkOWUxMCJd',
  })
  nextCursor!: string | null;
}

/**
 * Keyset position: the last row's `created_at` as PostgreSQL text (microsecond precision,
 * which a JS Date would lose) and its id. Opaque to clients (base64url JSON).
 */
export interface Keyset {
  readonly createdAt: string;
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PG_TIMESTAMPTZ = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/;

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.createdAt, keyset.id])).toString('base64url');
}

/** Decodes `?cursor=`; a cursor we did not issue is a 400 on the `cursor` field. */
export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (cursor === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      PG_TIMESTAMPTZ.test(parsed[0]) &&
      UUID.test(parsed[1])
    ) {
      return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw Errors.validation([{ field: 'cursor', message: 'cursor is not a cursor this API issued' }]);
}

/**
 * The keyset predicate for `ORDER BY <createdAt> DESC, <id> DESC` (newest first), as a
 * TypeORM-style fragment with named parameters; `TRUE` on the first page.
 */
export function keysetCondition(
  keyset: Keyset | null,
  createdAtColumn: string,
  idColumn: string,
): { sql: string; params: Record<string, unknown> } {
  if (!keyset) return { sql: 'TRUE', params: {} };
  return {
    sql: `(${createdAtColumn}, ${idColumn}) < (CAST(:keysetCreatedAt AS timestamptz), CAST(:keysetId AS uuid))`,
    params: { keysetCreatedAt: keyset.createdAt, keysetId: keyset.id },
  };
}

export function pageLimit(limit: number | undefined): number {
  return limit ?? DEFAULT_PAGE_LIMIT;
}

/**
 * Turns `limit + 1` fetched rows into a page: rows must carry `cursor_created_at`
 * (`created_at::text`) and the keyset id under `idKey`.
 */
export function toPage<R extends { cursor_created_at: string }, T>(
  rows: readonly R[],
  limit: number,
  idOf: (row: R) => string,
  map: (row: R) => T,
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(map),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ createdAt: last.cursor_created_at, id: idOf(last) })
        : null,
  };
}
