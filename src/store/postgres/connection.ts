import pg from "pg";

/** bigint columns hold epoch milliseconds and counters, all far inside 2^53: read them as numbers, as SQLite does. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/** Settings shared by the pool and the dedicated connections (notifications, leases). */
export function connectionConfig(url: string, role = "cairn"): pg.ClientConfig {
  // The role names the connection in pg_stat_activity: "cairn", "cairn changes", "cairn lease <name>".
  return { connectionString: url, types, keepAlive: true, keepAliveInitialDelayMillis: 5_000, application_name: role };
}

/** The errors of a transaction that lost a race with a concurrent one: running it again is correct. */
export function lostRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // serialization_failure, deadlock_detected, unique_violation (a concurrent insert of the same key committed first)
  return code === "40001" || code === "40P01" || code === "23505";
}

/**
 * Connects a dedicated client, or fails once it is ended first: `end()` during `connect()` leaves pg's connect
 * promise pending for ever, and a closing store must not wait on it.
 */
export function connectUnlessEnded(client: pg.Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once("end", () => reject(new Error("connection ended before it was established")));
    client.connect().then(() => resolve(), reject);
  });
}
