import { Command, CommandRunner } from 'nest-commander';
import { DemoSeedService, printDemoLogins } from '../modules/demo/demo-seed.service';

/** `npm run cli -- seed-demo`: the demo data set on any database, once (README "Demo data"). */
@Command({
  name: 'seed-demo',
  description: 'Seed the demo data set (idempotent) and print its logins',
})
export class SeedDemoCommand extends CommandRunner {
  constructor(private readonly demo: DemoSeedService) {
    super();
  }

  async run(): Promise<void> {
    printDemoLogins(await this.demo.seed());
  }
}
