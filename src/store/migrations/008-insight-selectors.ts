import type { Kysely, Migration } from "kysely";

/** A trail's Insights selectors (PutInsightSelectors), as JSON; null while Insights is off. */
export const m008InsightSelectors: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("trails").addColumn("insight_selectors", "text").execute();
  },
};
