import { CompiledQuery, SqliteDialect, type DatabaseConnection, type Driver } from "kysely";
import { CachedConnection } from "./connection.js";

/**
 * Kysely's SQLite driver over one or several connections to the same file: one for the writer, several for the WAL
 * readers, each used by one transaction (or statement) at a time.
 */
class PooledSqliteDriver implements Driver {
  private readonly free: CachedConnection[];
  private readonly waiting: Array<(connection: CachedConnection) => void> = [];

  constructor(
    private readonly connections: CachedConnection[],
    private readonly beforeClose?: () => Promise<void>,
  ) {
    this.free = [...connections];
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    const connection = this.free.pop();
    if (connection) return Promise.resolve(connection);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const next = this.waiting.shift();
    if (next) next(connection as CachedConnection);
    else this.free.push(connection as CachedConnection);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  /**
   * SQLite rolls a transaction back by itself when a write fails for lack of space or an I/O error (SQLITE_FULL,
   * SQLITE_IOERR): a ROLLBACK then fails with "no transaction is active", and that error would replace the real one.
   */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!(connection as CachedConnection).sqlite.inTransaction) return;
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async destroy(): Promise<void> {
    await this.beforeClose?.();
    for (const connection of this.connections) connection.sqlite.close();
  }
}

export class PooledSqliteDialect extends SqliteDialect {
  constructor(
    private readonly connections: CachedConnection[],
    private readonly beforeClose?: () => Promise<void>,
  ) {
    super({ database: connections[0]!.sqlite as never });
  }

  override createDriver(): Driver {
    return new PooledSqliteDriver(this.connections, this.beforeClose);
  }
}
