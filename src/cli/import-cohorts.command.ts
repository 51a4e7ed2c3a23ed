import { readFile, stat } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DataSource } from 'typeorm';
import { BenchmarksService } from '../modules/benchmarks/benchmarks.service';
import { parseCohortsCsv } from '../modules/benchmarks/cohort-csv';

interface ImportCohortsOptions {
  skipInvalid?: boolean;
}

/** Reading the file whole keeps the parser simple; cohort tables are small (kB to a few MB). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_PROBLEMS_SHOWN = 200;

/**
 * `npm run cli -- import-cohorts FILE.csv [--skip-invalid]`: validates every row first and
 * reports each bad one by line number; by default a file with any bad row imports nothing
 * (exit code 1). Valid rows are upserted in one transaction, idempotently (a re-run changes
 * nothing), with a progress line when stderr is a terminal.
 */
@Command({
  name: 'import-cohorts',
  arguments: '<file>',
  description: 'Import benchmark cohorts from a CSV file (idempotent upsert)',
})
export class ImportCohortsCommand extends CommandRunner {
  constructor(
    private readonly dataSource: DataSource,
    private readonly benchmarks: BenchmarksService,
  ) {
    super();
  }

  async run([file]: string[], options: ImportCohortsOptions): Promise<void> {
    if (!file) throw new Error('import-cohorts needs a CSV file path');
    const size = (await stat(file)).size;
    if (size > MAX_FILE_BYTES)
      throw new Error(`${file} is ${size} bytes; the limit is ${MAX_FILE_BYTES}`);
    const { rows, problems } = parseCohortsCsv(await readFile(file, 'utf8'));

    for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) {
      console.error(`${file}:${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}`);
    }
    if (problems.length > MAX_PROBLEMS_SHOWN)
      console.error(`… and ${problems.length - MAX_PROBLEMS_SHOWN} more problem(s)`);
    const badLines = new Set(problems.map((p) => p.line)).size;
    if (badLines > 0 && !options.skipInvalid) {
      console.error(
        `${badLines} invalid row(s): nothing imported (fix them, or pass --skip-invalid to import the ${rows.length} valid row(s))`,
      );
      process.exitCode = 1;
      return;
    }

    const tty = process.stderr.isTTY === true;
    const progress = (done: number): void => {
      if (tty)
        process.stderr.write(
          `\rImporting cohorts: ${done}/${rows.length} (${Math.round((done / Math.max(rows.length, 1)) * 100)}%)`,
        );
    };
    const counts = await this.dataSource.transaction((manager) =>
      this.benchmarks.upsert(manager, rows, progress),
    );
    if (tty) process.stderr.write('\n');
    console.log(
      `Imported ${rows.length} cohort row(s) from ${file}: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged` +
        (badLines > 0 ? `; ${badLines} invalid row(s) skipped` : ''),
    );
    if (badLines > 0) process.exitCode = 1;
  }

  @Option({
    flags: '--skip-invalid',
    description: 'Import the valid rows even when some rows are invalid (exit code stays 1)',
  })
  parseSkipInvalid(): boolean {
    return true;
  }
}
