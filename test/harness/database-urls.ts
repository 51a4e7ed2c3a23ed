/** Environment variables through which the global setup hands its server to test files. */
export const HARNESS_ENV = {
  serverUrl: 'CLINIC_TEST_PG_SERVER_URL',
  template: 'CLINIC_TEST_PG_TEMPLATE',
} as const;

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
