/**
 * Feature levels (PRODUCT.md §2.1): `full` = create/read/update/delete within scope;
 * `read` = read only (plus computations that store nothing); `basic` = D4; `none` = 403.
 */
export const LEVELS = ['full', 'read', 'basic', 'none'] as const;
export type Level = (typeof LEVELS)[number];

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}
