import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { hashOpaqueToken, looksLikeOpaqueToken, newOpaqueToken } from './opaque-tokens';
import { returningRows } from '../database/returning';

export type LinkTokenType = 'login' | 'invite';

/** "72 hours", "15 minutes": how long a link lives, for email copy. */
export function describeDuration(seconds: number): string {
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % 86_400 === 0 && seconds > 259_200) return plural(seconds / 86_400, 'day');
  if (seconds % 3600 === 0) return plural(seconds / 3600, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(seconds, 'second');
}

/**
 * Single-use emailed tokens (magic links, invitations). Only the SHA-256 of a token is stored;
 * the token itself exists in the email and nowhere else. It travels in the URL fragment, which
 * browsers never send to servers, so it stays out of access logs and Referer headers.
 */
@Injectable()
export class LinkTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  ttlOf(type: LinkTokenType): number {
    return type === 'login' ? this.config.env.MAGIC_LINK_TTL : this.config.env.INVITATION_TTL;
  }

  async create(type: LinkTokenType, userId: string, manager?: EntityManager): Promise<string> {
    const token = newOpaqueToken();
    await (manager ?? this.dataSource.manager).query(
      `INSERT INTO link_tokens (type, user_id, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [type, userId, hashOpaqueToken(token), this.ttlOf(type)],
    );
    return token;
  }

  link(type: LinkTokenType, token: string): string {
    const base = this.config.env.APP_URL.replace(/\/+$/, '');
    return `${base}/auth/callback#type=${type}&token=${token}`;
  }

  /**
   * Spends a token in one atomic statement: of two concurrent uses exactly one gets the user
   * id. Unknown, spent, expired tokens and disabled users all give null.
   */
  async consume(
    type: LinkTokenType,
    token: string,
    manager: EntityManager,
  ): Promise<string | null> {
    if (!looksLikeOpaqueToken(token)) return null;
    const rows = returningRows<{ user_id: string }>(
      await manager.query(
        `UPDATE link_tokens lt SET consumed_at = now()
           FROM users u
          WHERE lt.token_hash = $1 AND lt.type = $2
            AND lt.consumed_at IS NULL AND lt.expires_at > now()
            AND u.id = lt.user_id AND u.disabled_at IS NULL
        RETURNING lt.user_id`,
        [hashOpaqueToken(token), type],
      ),
    );
    return rows[0]?.user_id ?? null;
  }
}
