import { Migrator, type Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { Store, StoreTx } from "./store.js";
import { migrationProvider } from "./migrations/index.js";
import { accountRepo } from "./repos/accounts.js";
import { namespaceRepo } from "./repos/namespaces.js";
import { serviceRepo } from "./repos/services.js";
import { instanceRepo } from "./repos/instances.js";
import { serviceAttributeRepo } from "./repos/service-attributes.js";
import { operationRepo } from "./repos/operations.js";
import { requestTokenRepo } from "./repos/tokens.js";
import { tagRepo } from "./repos/tags.js";
import { eventRepo } from "./repos/events.js";
import { iamRepo } from "./repos/iam.js";

/** The Store over any Kysely dialect: the repositories are written once for SQLite and PostgreSQL. */
export class KyselyStore implements Store {
  constructor(private readonly db: Kysely<Database>) {}

  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider }).migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed) {
      throw new Error(`store migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
    }
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const callbacks: Array<() => void> = [];
    const result = await this.db.transaction().execute((trx) =>
      fn({
        accounts: accountRepo(trx),
        namespaces: namespaceRepo(trx),
        services: serviceRepo(trx),
        instances: instanceRepo(trx),
        serviceAttributes: serviceAttributeRepo(trx),
        operations: operationRepo(trx),
        tokens: requestTokenRepo(trx),
        tags: tagRepo(trx),
        events: eventRepo(trx),
        iam: iamRepo(trx),
        afterCommit: (cb) => callbacks.push(cb),
      }),
    );
    for (const cb of callbacks) cb();
    return result;
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
