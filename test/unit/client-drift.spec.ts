import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { readClientFiles } from '../../scripts/client/files';

const ROOT = resolve(__dirname, '../..');

/** What `npm run client:generate` would write, computed in a child process (no files touched). */
async function generatedFiles(): Promise<Record<string, string>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-r', '@swc-node/register', 'scripts/client/generate.ts', '--print'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as Record<string, string>;
}

/**
 * The committed client in clients/typescript/ must be what `npm run client:generate` writes
 * from the current code: a changed route or DTO without a regenerated client fails here.
 */
describe('clients/typescript is current', () => {
  it('matches the generator output file by file', async () => {
    const [expected, committed] = await Promise.all([generatedFiles(), readClientFiles()]);
    const stale = [...new Set([...Object.keys(expected), ...Object.keys(committed)])]
      .sort()
      .filter((name) => committed[name] !== expected[name]);
    if (stale.length > 0) {
      throw new Error(
        `clients/typescript is stale (${stale.join(', ')}): run \`npm run client:generate\` and commit the result`,
      );
    }
  }, 120_000);
});
