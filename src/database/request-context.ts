import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface DbSessionContext {
  readonly userId: string;
  readonly tenantId: string | null;
  readonly tenantRole: string | null;
  readonly clinicIds: readonly string[];
  readonly platformAdmin: boolean;
  /** Partner tiers: the database lets them see test rows only. */
  readonly partner: boolean;
}

interface Store {
  readonly manager: EntityManager;
}

const storage = new AsyncLocalStorage<Store>();

/** The PostgreSQL role request transactions run as (created by the RLS migration). */
export const APP_DB_ROLE = 'clinic_app';

/**
 * One SQL statement that enters a request's security context: switches to the non-owner
 * role (so row-level security applies) and sets the caller's identity for the policies,
 * all `LOCAL` to the transaction, in a single round trip.
 */
export function contextStatement(ctx: DbSessionContext): { sql: string; params: unknown[] } {
  return {
    sql: `SELECT set_config('role', $1, true), set_config('app.user_id', $2, true), set_config('app.tenant_id', $3, true),
                 set_config('app.clinic_ids', $4, true), set_config('app.platform_admin', $5, true), set_config('app.partner', $6, true),
                 set_config('app.tenant_role', $7, true)`,
    params: [
      APP_DB_ROLE,
      ctx.userId,
      ctx.tenantId ?? '',
      `{${ctx.clinicIds.join(',')}}`,
      ctx.platformAdmin ? 'on' : 'off',
      ctx.partner ? 'on' : 'off',
      ctx.tenantRole ?? '',
    ],
  };
}

/**
 * Database access for services. Inside a request, `manager` is the request's transaction
 * (opened by RequestTransactionInterceptor with the caller's RLS context), so every query
 * of the request — reads, writes and audit rows — runs in it; outside one (boot, CLI) it
 * is the plain DataSource manager.
 */
@Injectable()
export class Db {
  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inRequestTransaction(): boolean {
    return storage.getStore() !== undefined;
  }

  /** Runs `work` in a transaction that carries the caller's RLS context. */
  async withContext<T>(ctx: DbSessionContext, work: () => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const statement = contextStatement(ctx);
      await manager.query(statement.sql, statement.params);
      return storage.run({ manager }, work);
    });
  }

  /** Runs `work` with `manager` as the ambient manager (e.g. inside a caller's transaction). */
  runWith<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return storage.run({ manager }, work);
  }
}
