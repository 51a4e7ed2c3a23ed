import { Command, CommandRunner } from 'nest-commander';
import { CredentialHousekeeping } from '../auth/credential-housekeeping.service';

/** `npm run cli -- purge-expired-credentials`: the app's periodic purge, on demand (e.g. cron). */
@Command({
  name: 'purge-expired-credentials',
  description:
    'Delete refresh tokens of ended sessions, expired links and finished rate-limit windows',
})
export class PurgeExpiredCredentialsCommand extends CommandRunner {
  constructor(private readonly housekeeping: CredentialHousekeeping) {
    super();
  }

  async run(): Promise<void> {
    const counts = await this.housekeeping.purge();
    console.log('Purged expired credentials:');
    for (const [kind, n] of Object.entries(counts)) console.log(`  ${kind.padEnd(18)} ${n}`);
  }
}
