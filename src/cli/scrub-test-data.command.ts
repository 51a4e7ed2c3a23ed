import { Command, CommandRunner, Option } from 'nest-commander';
import { CLI_ACTOR } from '../modules/admin/admin-audit';
import { TestDataService } from '../modules/partners/test-data.service';

interface ScrubOptions {
  partnerId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `npm run cli -- scrub-test-data [--partner-id ID]`: POST /admin/test-data/scrub from a shell. */
@Command({
  name: 'scrub-test-data',
  description: 'Delete every test row (or one partner’s) in one transaction; audited',
})
export class ScrubTestDataCommand extends CommandRunner {
  constructor(private readonly testData: TestDataService) {
    super();
  }

  async run(_args: string[], options: ScrubOptions): Promise<void> {
    const result = await this.testData.scrub(options.partnerId ?? null, CLI_ACTOR);
    console.log(
      `Scrubbed ${result.total} test row(s)${result.partnerId ? ` of partner ${result.partnerId}` : ''}:`,
    );
    for (const [table, n] of Object.entries(result.counts))
      console.log(`  ${table.padEnd(26)} ${n}`);
  }

  @Option({ flags: '--partner-id <id>', description: 'Only this partner’s test rows' })
  parsePartnerId(value: string): string {
    if (!UUID.test(value)) throw new Error(`--partner-id must be a UUID, got ${value}`);
    return value.toLowerCase();
  }
}
