import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryModule } from '@nestjs/core';
import { RequestTransactionInterceptor } from '../database/request-transaction.interceptor';
import { AbilityGuard } from './ability.guard';
import { AbilityService } from './ability.service';
import { FeatureFlagsService } from './feature-flags.service';
import { MeAbilitiesController } from './me-abilities.controller';
import { RouteInventory, RouteRulesCheck } from './route-inventory';

/**
 * Authorization: the ability factory and its cache, the global AbilityGuard (registered
 * after the authentication guard, so it sees the principal), and the boot-time check that
 * every route declares its rule.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [MeAbilitiesController],
  providers: [
    AbilityService,
    FeatureFlagsService,
    RouteInventory,
    RouteRulesCheck,
    { provide: APP_GUARD, useClass: AbilityGuard },
    { provide: APP_INTERCEPTOR, useClass: RequestTransactionInterceptor },
  ],
  exports: [AbilityService, FeatureFlagsService, RouteInventory],
})
export class AbilitiesModule {}
