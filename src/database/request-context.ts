import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { escapeLiteral } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

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
 * The same context as `contextStatement`, as literal SQL for the simple-query protocol, so it
 * can travel in one message with `START TRANSACTION` (the extended protocol that carries
 * parameters allows one statement per message). Every value is quoted by pg's escapeLiteral.
 */
export function contextLiteralSql(ctx: DbSessionContext): string {
  const { params } = contextStatement(ctx);
  const names = [
    'role',
    'app.user_id',
    'app.tenant_id',
    'app.clinic_ids',
    'app.platform_admin',
    'app.partner',
    'app.tenant_role',
  ];
  return `SELECT ${names.map((name, i) => `set_config('${name}', ${escapeLiteral(String(params[i]))}, true)`).join(', ')}`;
}

/**
 * Starts a transaction on `runner` through TypeORM's own bookkeeping (isTransactionActive,
 * depth, savepoints for nested transactions), but sends its `START TRANSACTION` together
 * with the caller's context in one round trip instead of two.
 */
async function startTransactionWithContext(
  runner: QueryRunner,
  ctx: DbSessionContext,
): Promise<void> {
  type Query = (sql: string, parameters?: unknown[], structured?: boolean) => Promise<unknown>;
  const query = runner.query.bind(runner) as Query;
  // A one-shot own property shadowing the prototype's query(), removed after the first call.
  const restore = (): boolean => Reflect.deleteProperty(runner, 'query');
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
    restore();
    if (sql !== 'START TRANSACTION' || parameters !== undefined) {
      throw new Error(`Unexpected first statement of a request transaction: ${sql}`);
    }
    return query(`START TRANSACTION; ${contextLiteralSql(ctx)}`, undefined, structured);
  }) as QueryRunner['query'];
  try {
    await runner.startTransaction();
  } finally {
    restore();
  }
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

  /**
   * Runs `work` in a transaction that carries the caller's RLS context: BEGIN and the context
   * in one round trip, then `work`, then COMMIT (ROLLBACK on error), like DataSource.transaction.
   */
  async withContext<T>(ctx: DbSessionContext, work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await startTransactionWithContext(runner, ctx);
      const result = await storage.run({ manager: runner.manager }, work);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) {
        try {
          await runner.rollbackTransaction();
        } catch {
          // The original error matters more; a failed rollback ends with the connection.
        }
      }
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Runs `work` with `manager` as the ambient manager (e.g. inside a caller's transaction). */
  runWith<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return storage.run({ manager }, work);
  }
}
