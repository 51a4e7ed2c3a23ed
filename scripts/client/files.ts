import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Where `npm run client:generate` writes. */
export const CLIENT_DIR = resolve(__dirname, '../../clients/typescript');

/** The committed files of clients/typescript/, by name. */
export async function readClientFiles(): Promise<Record<string, string>> {
  const names = await readdir(CLIENT_DIR).catch(() => [] as string[]);
  const entries = await Promise.all(
    names
      .sort()
      .map(async (name) => [name, await readFile(join(CLIENT_DIR, name), 'utf8')] as const),
  );
  return Object.fromEntries(entries);
}
