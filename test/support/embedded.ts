import { startCairn, type RunningCairn, type StartCairnOptions } from "cairn";
import { TEST_STORE, createTestDatabase } from "./postgres.js";

/** The public `startCairn`, on the store under test (a fresh PostgreSQL database in the PostgreSQL run). */
export async function startEmbedded(options: StartCairnOptions = {}): Promise<RunningCairn> {
  const store = TEST_STORE === "postgres" ? ["--store", await createTestDatabase()] : [];
  return startCairn({ ...options, args: [...store, ...(options.args ?? [])] });
}
