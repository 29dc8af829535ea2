import type BetterSqlite3 from "better-sqlite3";
import { SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from "kysely";

/**
 * SQLite rolls a transaction back by itself when a write fails for lack of space or an I/O error
 * (SQLITE_FULL, SQLITE_IOERR): Kysely's own ROLLBACK then fails with "no transaction is active" and that
 * error replaces the real one. This driver skips the ROLLBACK when SQLite has already done it.
 */
class RollbackAwareDriver extends SqliteDriver {
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.sqlite.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

export class RollbackAwareSqliteDialect extends SqliteDialect {
  constructor(private readonly sqlite: BetterSqlite3.Database) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new RollbackAwareDriver(this.sqlite);
  }
}
