import { Command, CommandRunner, Option } from 'nest-commander';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { BootstrapAdminService } from '../modules/bootstrap/bootstrap-admin.service';
import { UsersService } from '../modules/users/users.service';

interface CreateAdminOptions {
  email?: string;
  password?: string;
}

@Command({ name: 'create-admin', description: 'Create a PLATFORM_ADMIN (tier admin)' })
export class CreateAdminCommand extends CommandRunner {
  constructor(
    private readonly bootstrap: BootstrapAdminService,
    private readonly users: UsersService,
  ) {
    super();
  }

  async run(_args: string[], options: CreateAdminOptions): Promise<void> {
    const { email, password } = options;
    if (!email || !password) throw new Error('create-admin needs --email and --password');
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new Error(`--password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    if (await this.users.findByEmail(email))
      throw new Error(`A user with email ${email} already exists`);
    await this.bootstrap.createPlatformAdmin(email, password, { onlyIfNone: false });
    console.log(`Created PLATFORM_ADMIN ${email.toLowerCase()}`);
  }

  @Option({ flags: '--email <email>', description: 'Email of the new admin' })
  parseEmail(value: string): string {
    return value;
  }

  @Option({
    flags: '--password <password>',
    description: `Password (min ${MIN_PASSWORD_LENGTH} characters)`,
  })
  parsePassword(value: string): string {
    return value;
  }
}
