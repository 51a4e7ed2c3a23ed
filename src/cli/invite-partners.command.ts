import { readFile } from 'node:fs/promises';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ApiException } from '../common/errors/api-exception';
import { CLI_ACTOR } from '../modules/admin/admin-audit';
import { AdminUsersService } from '../modules/admin/admin-users.service';
import { parsePartnerCsv } from '../modules/partners/partners-csv';
import { PartnersService } from '../modules/partners/partners.service';

interface InvitePartnersOptions {
  dryRun?: boolean;
}

/**
 * `npm run cli -- invite-partners FILE.csv`: provisions each line like POST /admin/partners
 * (account, own mock patients, branded invitation — one transaction per partner). The whole
 * file is validated first; with any bad line nothing is provisioned and every problem is
 * reported with its line number, so the file can be fixed and run again.
 */
@Command({
  name: 'invite-partners',
  arguments: '<file>',
  description: 'Provision partners from a CSV (email,displayName,tier,tierExpiresAt)',
})
export class InvitePartnersCommand extends CommandRunner {
  constructor(
    private readonly partners: PartnersService,
    private readonly users: AdminUsersService,
  ) {
    super();
  }

  async run([file]: string[], options: InvitePartnersOptions): Promise<void> {
    if (!file)
      throw new Error('invite-partners needs a CSV file: email,displayName,tier,tierExpiresAt');
    const { rows, problems } = parsePartnerCsv(await readFile(file, 'utf8'));
    for (const row of rows) {
      if (await this.users.emailTaken(row.email))
        problems.push({ line: row.line, message: `${row.email} already has an account` });
    }
    if (problems.length > 0) {
      for (const p of problems.sort((a, b) => a.line - b.line))
        console.error(`${file}:${p.line}: ${p.message}`);
      throw new Error(`${problems.length} bad line(s); nothing was provisioned`);
    }
    if (rows.length === 0) throw new Error(`${file} has no partner lines`);
    if (options.dryRun) {
      console.log(`${rows.length} partner(s) would be provisioned (dry run)`);
      return;
    }
    let failed = 0;
    for (const row of rows) {
      try {
        const partner = await this.partners.provision(row, CLI_ACTOR);
        const ids = partner.mockPatients.map((p) => `${p.key}=${p.subjectId}`).join(' ');
        console.log(
          `line ${row.line}: ${row.email} (${row.tier}) provisioned, invitation sent; mock patients ${ids}`,
        );
      } catch (error) {
        failed++;
        const message =
          error instanceof ApiException || error instanceof Error ? error.message : String(error);
        console.error(`line ${row.line}: ${row.email} NOT provisioned: ${message}`);
      }
    }
    console.log(`${rows.length - failed} of ${rows.length} partner(s) provisioned`);
    if (failed > 0) process.exitCode = 1;
  }

  @Option({ flags: '--dry-run', description: 'Validate the file and stop' })
  parseDryRun(): boolean {
    return true;
  }
}
