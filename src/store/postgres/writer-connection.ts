import pg from "pg";
import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from "kysely";
import type { Database } from "../schema.js";
import { connectUnlessEnded } from "./connection.js";

const AFFECTING = new Set(["INSERT", "UPDATE", "DELETE", "MERGE"]);
/** Statements the writer keeps prepared on its session: the write path's are a few dozen shapes. */
const MAX_PREPARED = 500;

/**
 * A pg client in pipeline mode: statements issued together are written together and answered in order. Statements
 * with parameters are prepared once on the session (named), so the server parses and plans each shape once, not at
 * every call: the writer's session is where every write of the node takes its turn.
 */
class PipelinedConnection implements DatabaseConnection {
  private readonly names = new Map<string, string>();

  constructor(private readonly client: pg.Client) {}

  private nameOf(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < MAX_PREPARED) {
      name = `cairn_${this.names.size}`;
      this.names.set(sql, name);
    }
    return name;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // Without parameters: the transaction's own statements, several in one simple query, which cannot be prepared.
    const name = compiled.parameters.length > 0 ? this.nameOf(compiled.sql) : undefined;
    const { command, rowCount, rows } = await this.client.query({ name, text: compiled.sql, values: [...compiled.parameters] });
    return { numAffectedRows: AFFECTING.has(command) ? BigInt(rowCount ?? 0) : undefined, rows: (rows ?? []) as R[] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery(): AsyncIterableIterator<QueryResult<never>> {
    throw new Error("the writer connection does not stream");
  }
}

/**
 * The one connection a node's group commit writes on (../group-commit.ts runs one batch at a time). Unlike a Kysely
 * connection from the pool, which runs its statements one after the other, it hands every statement to pg at once:
 * the independent statements a call issues together (`Promise.all`) share one round trip. A connection that fails
 * is replaced on the next batch.
 */
class WriterDriver implements Driver {
  private current?: { client: pg.Client; connection: Promise<PipelinedConnection> };

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly log: (message: string, error?: unknown) => void,
  ) {}

  async init(): Promise<void> {}

  /** The server process of the connection now in use, once connected (what its notifications carry). */
  backendPid(): number | undefined {
    return (this.current?.client as { processID?: number | null } | undefined)?.processID ?? undefined;
  }

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.current) {
      const client = new pg.Client({ ...this.config, pipeline: true });
      const current = { client, connection: connectUnlessEnded(client).then(() => new PipelinedConnection(client)) };
      const forget = () => {
        if (this.current === current) this.current = undefined;
      };
      client.on("error", (error) => {
        this.log("postgres writer connection lost", error);
        forget();
      });
      client.on("end", forget);
      current.connection.catch(forget);
      this.current = current;
    }
    return this.current.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.client.end().catch(() => undefined);
  }
}

/** The node's writer connection (see WriterDriver), as a Kysely, and which server process it is. */
export function writerConnection(
  config: pg.ClientConfig,
  log: (message: string, error?: unknown) => void,
): { db: Kysely<Database>; backendPid(): number | undefined } {
  const driver = new WriterDriver(config, log);
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => new PostgresIntrospector(kysely),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  return { db, backendPid: () => driver.backendPid() };
}
