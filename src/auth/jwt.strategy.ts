import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { KeyObject } from 'node:crypto';
import type { Algorithm } from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config';
import { type JwtPayload, verifyJwt } from './jwt/jwt';
import { SIGNING_KEYS } from './jwt/access-token.signer';
import type { SigningKeys } from './jwt/signing-keys';
import type { Principal } from './principal';
import { accessClaimsOf, PrincipalLoader } from './principal-loader';

type VerifyCallback = (error: Error | null, payload?: JwtPayload) => void;
interface PassportJwtVerifyOptions {
  readonly algorithms?: readonly string[];
  readonly issuer?: string;
  readonly audience?: string;
}

/**
 * passport-jwt verifies through jsonwebtoken, which has no EdDSA. Its documented injection
 * point swaps the verifier for ours (src/auth/jwt/jwt.ts), which is stricter: algorithms,
 * issuer and audience are mandatory, and `ignoreExpiration` is not honoured.
 */
(Strategy as unknown as { JwtVerifier: unknown }).JwtVerifier = (
  token: string,
  key: KeyObject,
  options: PassportJwtVerifyOptions,
  callback: VerifyCallback,
): void => {
  try {
    if (!options.algorithms || !options.issuer || !options.audience) {
      throw new Error('JWT verification requires algorithms, issuer and audience');
    }
    callback(
      null,
      verifyJwt(token, key, {
        algorithms: options.algorithms,
        issuer: options.issuer,
        audience: options.audience,
        clockToleranceSec: 5,
      }),
    );
  } catch (error) {
    callback(error instanceof Error ? error : new Error('Invalid token'));
  }
};

/** Bearer access tokens: signature and claims, then the per-request database check. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(SIGNING_KEYS) keys: SigningKeys,
    config: AppConfig,
    private readonly principals: PrincipalLoader,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, typed by passport-jwt as string | Buffer; the verifier above takes it as is.
      secretOrKey: keys.publicKey as unknown as string,
      // jsonwebtoken's Algorithm type predates EdDSA; the value reaches our verifier unchanged.
      algorithms: [keys.algorithm] as unknown as Algorithm[],
      issuer: config.env.JWT_ISSUER,
      audience: config.env.JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  /** null → 401: stale token_version, disabled user, revoked session or malformed claims. */
  async validate(payload: JwtPayload): Promise<Principal | null> {
    const claims = accessClaimsOf(payload);
    return claims ? this.principals.load(claims) : null;
  }
}
