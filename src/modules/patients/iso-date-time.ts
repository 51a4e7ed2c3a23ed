import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/**
 * An ISO 8601 date-time with an explicit UTC offset (`Z` or `±hh:mm`). A time without an
 * offset would be read in the database session's time zone: ambiguous for a clinical log.
 */
export function IsIsoDateTime(): PropertyDecorator {
  return applyDecorators(
    IsISO8601(
      { strict: true, strictSeparator: true },
      { message: '$property must be an ISO 8601 date-time, e.g. 2026-05-01T09:30:00Z' },
    ),
    Matches(/T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/i, {
      message: '$property must carry a UTC offset (Z or ±hh:mm)',
    }),
  );
}

/** A timestamptz rendered by PostgreSQL as ISO 8601 UTC with milliseconds (inside JSON built in SQL). */
export function isoSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
