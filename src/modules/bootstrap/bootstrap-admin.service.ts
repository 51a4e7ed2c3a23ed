import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { UsersService } from '../users/users.service';

/**
 * First boot (API.md "Operations and bootstrap"): with BOOTSTRAP_ADMIN_EMAIL/PASSWORD set
 * and no PLATFORM_ADMIN yet, create one on tier `admin`.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { BOOTSTRAP_ADMIN_EMAIL: email, BOOTSTRAP_ADMIN_PASSWORD: password } = this.config.env;
    if (!email || !password) return;
    const outcome = await this.createPlatformAdmin(email, password, { onlyIfNone: true });
    this.logger.log(
      outcome === 'created'
        ? `Created PLATFORM_ADMIN ${email}`
        : 'A PLATFORM_ADMIN already exists; bootstrap skipped',
    );
  }

  async createPlatformAdmin(
    email: string,
    password: string,
    options: { onlyIfNone: boolean },
  ): Promise<'created' | 'skipped'> {
    if (options.onlyIfNone && (await this.users.platformAdminExists())) return 'skipped';
    await this.users.create({
      email,
      password,
      displayName: 'Platform admin',
      tier: 'admin',
      platformRole: 'PLATFORM_ADMIN',
    });
    return 'created';
  }
}
