import type { Db } from '../../database/request-context';

/**
 * Runs `work` in one transaction: the request's when inside one, otherwise (CLI, boot) a new
 * one made ambient through `db.manager`, so services are written once for both.
 */
export function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db.inRequestTransaction) return work();
  return db.dataSource.transaction((manager) => db.runWith(manager, work));
}

export { sessionContextOf } from '../../database/session-context';
