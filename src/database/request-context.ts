import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { escapeLiteral, type Pool, type PoolClient, type QueryResult } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { inlineParameters } from './inline-parameters';
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

/** A request's database state: its context, and whether its transaction has begun. */
interface RequestScope {
  readonly context: DbSessionContext;
  /** Safe methods (GET/HEAD): a lone read may run before, and outside, the transaction. */
  readonly readOnly: boolean;
  transactionStarted: boolean;
}

interface Store {
  readonly manager: EntityManager;
  readonly request?: RequestScope;
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
 * Opens `runner`'s transaction when it first needs a connection, not before: `START TRANSACTION`
 * and the caller's context travel in one simple-protocol message ahead of the first statement.
 * TypeORM's bookkeeping says "in a transaction" from the start, so writes do not open their own
 * and nested transactions become savepoints; a request that sends nothing costs no round trip.
 */
function deferTransactionStart(runner: QueryRunner, scope: RequestScope): void {
  const connect = runner.connect.bind(runner) as () => Promise<PoolClient>;
  let connected: Promise<PoolClient> | undefined;
  runner.connect = (): Promise<PoolClient> =>
    (connected ??= connect().then(async (client) => {
      scope.transactionStarted = true;
      await client.query(`START TRANSACTION; ${contextLiteralSql(scope.context)}`);
      return client;
    }));
  const bookkeeping = runner as unknown as {
    isTransactionActive: boolean;
    transactionDepth: number;
  };
  bookkeeping.isTransactionActive = true;
  bookkeeping.transactionDepth = 1;
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

  /**
   * TypeORM's own node-postgres pool, for single statements that need none of TypeORM's query
   * runner bookkeeping (the per-request principal lookup, `read`): same connections, same limits.
   */
  get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  get manager(): EntityManager {
    return storage.getStore()?.manager ?? this.dataSource.manager;
  }

  get inRequestTransaction(): boolean {
    return storage.getStore() !== undefined;
  }

  /**
   * Runs `work` in a transaction that carries the caller's RLS context, like
   * DataSource.transaction: COMMIT after it, ROLLBACK on error. The transaction begins with the
   * request's first statement (BEGIN and the context in the same round trip); `readOnly`
   * requests may also answer with `read` alone, without any transaction.
   */
  async withContext<T>(
    context: DbSessionContext,
    work: () => Promise<T>,
    options: { readOnly?: boolean } = {},
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const scope: RequestScope = {
      context,
      readOnly: options.readOnly === true,
      transactionStarted: false,
    };
    deferTransactionStart(runner, scope);
    try {
      const result = await storage.run({ manager: runner.manager, request: scope }, work);
      if (scope.transactionStarted) await runner.commitTransaction();
      return result;
    } catch (error) {
      if (scope.transactionStarted && runner.isTransactionActive) {
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

  /**
   * One SELECT for the current request. In a read-only request whose transaction has not begun,
   * it travels with the caller's RLS context as a single simple-protocol message (PostgreSQL runs
   * such a message as one implicit transaction, so the `LOCAL` context ends with it): one round
   * trip, where BEGIN + statement + COMMIT take three. Its values are inlined as quoted literals
   * (inlineParameters), which PostgreSQL types exactly as it types untyped parameters. Anywhere
   * else (a write request, a begun transaction, outside requests) it is `manager.query`.
   */
  async read<T>(sql: string, values: readonly unknown[]): Promise<T[]> {
    const scope = storage.getStore()?.request;
    if (!scope?.readOnly || scope.transactionStarted)
      return this.manager.query<T[]>(sql, [...values]);
    const results = (await this.pool.query(
      `${contextLiteralSql(scope.context)}; ${inlineParameters(sql, values)}`,
    )) as unknown as QueryResult[];
    return results[1].rows as T[];
  }

  /** Runs `work` with `manager` as the ambient manager (e.g. inside a caller's transaction). */
  runWith<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return storage.run({ manager }, work);
  }
}
