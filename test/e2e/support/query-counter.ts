import { Client } from 'pg';

/**
 * Counts the SQL statements every pg client of this process sends while `work` runs (the
 * app's pool, the authentication lookups and the transaction statements included): a list
 * that issued one query per row would show it as a count growing with the row count.
 */
export async function countQueries<T>(
  work: () => Promise<T>,
): Promise<{ result: T; queries: number; statements: string[] }> {
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: Client, ...args: unknown[]) {
    const first = args[0];
    statements.push(
      typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '?'),
    );
    return original.apply(this, args);
  };
  try {
    const result = await work();
    return { result, queries: statements.length, statements };
  } finally {
    proto.query = original;
  }
}
