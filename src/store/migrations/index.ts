import type { Migration, MigrationProvider } from "kysely";
import { m001Initial } from "./001-initial.js";
import { m002Instances } from "./002-instances.js";
import { m003EventLookup } from "./003-event-lookup.js";
import { m004Identity } from "./004-identity.js";
import { m005Trails } from "./005-trails.js";
import { m007ChangeNotifications } from "./007-change-notifications.js";
import { m008InsightSelectors } from "./008-insight-selectors.js";
import { m009IamChangeNotifications } from "./009-iam-change-notifications.js";
import { m010EventBus } from "./010-event-bus.js";

/** Numbered migrations, applied in order by name; never edit one that has shipped, add the next. */
const migrations: Record<string, Migration> = {
  "001-initial": m001Initial,
  "002-instances": m002Instances,
  "003-event-lookup": m003EventLookup,
  "004-identity": m004Identity,
  "005-trails": m005Trails,
  "007-change-notifications": m007ChangeNotifications,
  "008-insight-selectors": m008InsightSelectors,
  "009-iam-change-notifications": m009IamChangeNotifications,
  "010-event-bus": m010EventBus,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
