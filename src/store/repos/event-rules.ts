import { sql, type Kysely, type Selectable } from "kysely";
import type { Database } from "../schema.js";
import type { NoteChange } from "../changes.js";
import type { EventRuleRepo } from "../store.js";
import type { BusScope, RuleRecord, RuleState, TargetConfig } from "../event-bus-records.js";

type RuleRow = Selectable<Database["event_rules"]>;

function fromRow(r: RuleRow): RuleRecord {
  const rule: RuleRecord = {
    accountId: r.account_id,
    region: r.region,
    eventBusName: r.event_bus_name,
    name: r.name,
    arn: r.arn,
    state: r.state as RuleState,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
  if (r.event_pattern !== null) rule.eventPattern = r.event_pattern;
  if (r.description !== null) rule.description = r.description;
  if (r.role_arn !== null) rule.roleArn = r.role_arn;
  if (r.managed_by !== null) rule.managedBy = r.managed_by;
  return rule;
}

/** The columns naming a rule. */
const ruleKey = (scope: BusScope, name: string) => ({ account_id: scope.accountId, region: scope.region, event_bus_name: scope.eventBusName, name });

/** Every write notes its bus's change: the in-memory rules of every node follow it. */
export function eventRuleRepo(db: Kysely<Database>, note: NoteChange): EventRuleRepo {
  const changed = (scope: BusScope) => note({ kind: "eventRules", accountId: scope.accountId, region: scope.region });
  const onBus = (scope: BusScope) =>
    db
      .selectFrom("event_rules")
      .selectAll()
      .where("account_id", "=", scope.accountId)
      .where("region", "=", scope.region)
      .where("event_bus_name", "=", scope.eventBusName);
  const targetsOf = (scope: BusScope) =>
    db
      .selectFrom("event_targets")
      .where("account_id", "=", scope.accountId)
      .where("region", "=", scope.region)
      .where("event_bus_name", "=", scope.eventBusName);
  return {
    async put(rule) {
      const values = {
        arn: rule.arn,
        event_pattern: rule.eventPattern ?? null,
        state: rule.state,
        description: rule.description ?? null,
        role_arn: rule.roleArn ?? null,
        managed_by: rule.managedBy ?? null,
      };
      await db
        .insertInto("event_rules")
        .values({
          account_id: rule.accountId,
          region: rule.region,
          event_bus_name: rule.eventBusName,
          name: rule.name,
          created_by: rule.createdBy,
          created_at: rule.createdAt,
          ...values,
        })
        .onConflict((oc) => oc.columns(["account_id", "region", "event_bus_name", "name"]).doUpdateSet(values))
        .execute();
      changed(rule);
    },
    async get(scope, name) {
      const row = await onBus(scope).where("name", "=", name).executeTakeFirst();
      return row && fromRow(row);
    },
    async list(scope, namePrefix, limit, after) {
      let q = onBus(scope);
      // substr, not LIKE: SQLite's LIKE ignores case, and rule names are case-sensitive.
      if (namePrefix) q = q.where(sql`substr(name, 1, ${namePrefix.length})`, "=", namePrefix);
      if (after !== undefined) q = q.where("name", ">", after);
      const rows = await q.orderBy("name").limit(limit).execute();
      return rows.map(fromRow);
    },
    async count(scope) {
      const row = await db
        .selectFrom("event_rules")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", scope.accountId)
        .where("region", "=", scope.region)
        .where("event_bus_name", "=", scope.eventBusName)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async setState(scope, name, state) {
      await db.updateTable("event_rules").set({ state }).where((eb) => eb.and(ruleKey(scope, name))).execute();
      changed(scope);
    },
    async delete(scope, name) {
      await db.deleteFrom("event_rules").where((eb) => eb.and(ruleKey(scope, name))).execute();
      changed(scope);
    },
    async targets(scope, ruleName) {
      const rows = await targetsOf(scope).select(["config"]).where("rule_name", "=", ruleName).orderBy("position").execute();
      return rows.map((r) => JSON.parse(r.config) as TargetConfig);
    },
    async allTargets(scope) {
      const rows = await targetsOf(scope).select(["rule_name", "config"]).orderBy("rule_name").orderBy("position").execute();
      return rows.map((r) => ({ ...scope, ruleName: r.rule_name, config: JSON.parse(r.config) as TargetConfig }));
    },
    async putTarget(scope, ruleName, target) {
      const last = await targetsOf(scope)
        .select((eb) => eb.fn.max("position").as("p"))
        .where("rule_name", "=", ruleName)
        .executeTakeFirst();
      const config = JSON.stringify(target);
      await db
        .insertInto("event_targets")
        .values({
          account_id: scope.accountId,
          region: scope.region,
          event_bus_name: scope.eventBusName,
          rule_name: ruleName,
          target_id: target.Id,
          arn: target.Arn,
          config,
          position: Number(last?.p ?? 0) + 1,
        })
        .onConflict((oc) => oc.columns(["account_id", "region", "event_bus_name", "rule_name", "target_id"]).doUpdateSet({ arn: target.Arn, config }))
        .execute();
      changed(scope);
    },
    async removeTargets(scope, ruleName, ids) {
      if (ids.length === 0) return;
      const { name, ...bus } = ruleKey(scope, ruleName);
      await db.deleteFrom("event_targets").where((eb) => eb.and({ ...bus, rule_name: name })).where("target_id", "in", ids).execute();
      changed(scope);
    },
    async ruleNamesByTarget(scope, targetArn, limit, after) {
      let q = targetsOf(scope).select(["rule_name"]).distinct().where("arn", "=", targetArn);
      if (after !== undefined) q = q.where("rule_name", ">", after);
      const rows = await q.orderBy("rule_name").limit(limit).execute();
      return rows.map((r) => r.rule_name);
    },
    async countTargetsOf(accountId, region, targetArn) {
      const row = await db
        .selectFrom("event_targets")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("account_id", "=", accountId)
        .where("region", "=", region)
        .where("arn", "=", targetArn)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
