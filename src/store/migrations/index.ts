import type { Migration, MigrationProvider } from "kysely";
import type { MigrationDialect } from "./dialect.js";
import { m001Initial } from "./001-initial.js";
import { m002Instances } from "./002-instances.js";
import { m003EventLookup } from "./003-event-lookup.js";
import { m004Identity } from "./004-identity.js";
import { m005Trails } from "./005-trails.js";
import { m007ChangeNotifications } from "./007-change-notifications.js";
import { m008InsightSelectors } from "./008-insight-selectors.js";
import { m009IamChangeNotifications } from "./009-iam-change-notifications.js";
import { m010EventBus } from "./010-event-bus.js";

/**
 * Numbered migrations, applied in order by name; never edit one that has shipped, add the next. The few steps that
 * differ between stores come from the store's dialect.
 */
const migrations = (dialect: MigrationDialect): Record<string, Migration> => ({
  "001-initial": m001Initial(dialect),
  "002-instances": m002Instances,
  "003-event-lookup": m003EventLookup,
  "004-identity": m004Identity,
  "005-trails": m005Trails,
  "007-change-notifications": m007ChangeNotifications(dialect),
  "008-insight-selectors": m008InsightSelectors,
  "009-iam-change-notifications": m009IamChangeNotifications(dialect),
  "010-event-bus": m010EventBus(dialect),
});

export function migrationProvider(dialect: MigrationDialect): MigrationProvider {
  return {
    async getMigrations() {
      return migrations(dialect);
    },
  };
}
