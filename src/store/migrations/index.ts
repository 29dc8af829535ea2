import type { Migration, MigrationProvider } from "kysely";
import { m001Initial } from "./001-initial.js";

/** Numbered migrations, applied in order by name; never edit one that has shipped, add the next. */
const migrations: Record<string, Migration> = {
  "001-initial": m001Initial,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
