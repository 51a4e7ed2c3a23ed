import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { MailModule } from '../modules/mail/mail.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialHousekeeping } from './credential-housekeeping.service';
import { InvitationService } from './invitation.service';
import { AccessTokenSigner, SIGNING_KEYS } from './jwt/access-token.signer';
import { loadSigningKeys } from './jwt/signing-keys';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JwtStrategy } from './jwt.strategy';
import { LinkTokensService } from './link-tokens.service';
import { MagicLinkService } from './magic-link.service';
import { MeController } from './me.controller';
import { PrincipalLoader } from './principal-loader';
import { AUTH_IP_THROTTLER, AuthThrottlerGuard } from './rate-limit/auth-throttler.guard';
import { EmailRateLimiter } from './rate-limit/email-rate-limiter';
import { PgThrottlerStorage } from './rate-limit/pg-throttler.storage';
import { SessionsService } from './sessions.service';
import { TokenRevocationService } from './token-revocation.service';

/**
 * Authentication (issue 4). Global so that any module can inject TokenRevocationService and
 * InvitationService without importing this one (and so no import cycle appears later).
 */
@Global()
@Module({
  imports: [
    MailModule,
    PassportModule,
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, dataSource: DataSource) => ({
        throttlers: [
          {
            name: AUTH_IP_THROTTLER,
            ttl: config.env.RATE_LIMIT_AUTH_WINDOW * 1000,
            limit: config.env.RATE_LIMIT_AUTH_PER_IP,
          },
        ],
        storage: new PgThrottlerStorage(dataSource),
      }),
    }),
  ],
  controllers: [AuthController, MeController],
  providers: [
    {
      provide: SIGNING_KEYS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        loadSigningKeys(config.env, (message) => new Logger('AuthModule').warn(message)),
    },
    AccessTokenSigner,
    PrincipalLoader,
    JwtStrategy,
    JwtAuthGuard,
    // useExisting: tests can swap the guard with overrideProvider(JwtAuthGuard).
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    AuthThrottlerGuard,
    EmailRateLimiter,
    SessionsService,
    TokenRevocationService,
    LinkTokensService,
    InvitationService,
    MagicLinkService,
    AuthService,
    CredentialHousekeeping,
  ],
  exports: [
    TokenRevocationService,
    InvitationService,
    SessionsService,
    LinkTokensService,
    CredentialHousekeeping,
  ],
})
export class AuthModule {}
