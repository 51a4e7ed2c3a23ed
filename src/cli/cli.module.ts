import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AppModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { BootstrapModule } from '../modules/bootstrap/bootstrap.module';
import { CreateAdminCommand } from './create-admin.command';

/** Every CLI command; each is a provider run by nest-commander inside the app's context. */
export const COMMANDS: Provider[] = [CreateAdminCommand];

@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [AppModule.forRoot(config), BootstrapModule], providers: COMMANDS };
  }
}
