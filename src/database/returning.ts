/**
 * Rows of a raw `UPDATE … RETURNING` / `DELETE … RETURNING` through TypeORM's PostgreSQL
 * driver, which answers those as `[rows, affectedCount]` (INSERT and SELECT answer rows).
 */
export function returningRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return Array.isArray(result) ? (result as T[]) : [];
}
