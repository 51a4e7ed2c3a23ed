import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { signJwt } from './jwt';
import type { SigningKeys } from './signing-keys';

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');

export interface SignedAccessToken {
  readonly token: string;
  readonly expiresIn: number;
}

/** Signs access tokens: iss, aud, sub, jti, sid (session = refresh family), ver, iat, exp. */
@Injectable()
export class AccessTokenSigner {
  constructor(
    @Inject(SIGNING_KEYS) private readonly keys: SigningKeys,
    private readonly config: AppConfig,
  ) {}

  sign(subject: { userId: string; sessionId: string; tokenVersion: number }): SignedAccessToken {
    const { JWT_ISSUER, JWT_AUDIENCE, JWT_ACCESS_TTL } = this.config.env;
    const iat = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        iss: JWT_ISSUER,
        aud: JWT_AUDIENCE,
        sub: subject.userId,
        jti: randomUUID(),
        sid: subject.sessionId,
        ver: subject.tokenVersion,
        iat,
        exp: iat + JWT_ACCESS_TTL,
      },
      this.keys.privateKey,
    );
    return { token, expiresIn: JWT_ACCESS_TTL };
  }
}
