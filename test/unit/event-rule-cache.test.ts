import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mayMatch, RuleCache } from "../../src/services/events/rule-cache.js";
import type { RuleRecord, TargetRecord } from "../../src/store/event-bus-records.js";
import type { StoreTx } from "../../src/store/store.js";

const scope = { accountId: "123456789012", region: "us-east-1", eventBusName: "default" };
const rule = (name: string, state: RuleRecord["state"]): RuleRecord => ({ ...scope, name, arn: `arn:${name}`, state, eventPattern: '{"source":["x"]}', createdBy: scope.accountId, createdAt: 0 });
const target = (ruleName: string): TargetRecord => ({ ...scope, ruleName, config: { Id: "t", Arn: "dest" } });

/** A transaction over fixed rows that counts reads; `duringRead` runs while the rules are being read. */
function fakeTx(rules: RuleRecord[], targets: TargetRecord[], duringRead: () => void = () => undefined) {
  let reads = 0;
  const tx = {
    eventRules: {
      list: async () => {
        reads++;
        duringRead();
        return rules;
      },
      allTargets: async () => targets,
    },
  } as unknown as StoreTx;
  return { tx, reads: () => reads };
}

describe("rule cache", () => {
  it("keeps only enabled rules with targets, reads a bus once, and again after its change", async () => {
    const cache = new RuleCache();
    const f = fakeTx([rule("on", "ENABLED"), rule("off", "DISABLED"), rule("bare", "ENABLED"), rule("all", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS")], [target("on"), target("off"), target("all")]);
    const live = await cache.live(f.tx, scope.accountId, scope.region);
    assert.deepEqual(live.map((r) => r.name), ["on", "all"]);
    await cache.live(f.tx, scope.accountId, scope.region);
    assert.equal(f.reads(), 1);
    cache.changed(scope.accountId, scope.region);
    await cache.live(f.tx, scope.accountId, scope.region);
    assert.equal(f.reads(), 2);
    // Another bus is not touched by that change.
    await cache.live(f.tx, scope.accountId, "eu-west-1");
    cache.changed(scope.accountId, scope.region);
    await cache.live(f.tx, scope.accountId, "eu-west-1");
    assert.equal(f.reads(), 3);
  });

  it("never keeps a load that a rule change overtook", async () => {
    const cache = new RuleCache();
    const stale = fakeTx([rule("old", "ENABLED")], [target("old")], () => cache.changed(scope.accountId, scope.region));
    assert.deepEqual((await cache.live(stale.tx, scope.accountId, scope.region)).map((r) => r.name), ["old"]);
    const fresh = fakeTx([], []);
    assert.deepEqual(await cache.live(fresh.tx, scope.accountId, scope.region), []);
    assert.equal(fresh.reads(), 1);
  });

  it("passes over rules whose pattern lists other sources or operations, and keeps those it cannot rule out", async () => {
    const cache = new RuleCache();
    const withPattern = (name: string, eventPattern: string): RuleRecord => ({ ...rule(name, "ENABLED"), eventPattern });
    const f = fakeTx(
      [
        withPattern("exact", JSON.stringify({ source: ["aws.iam"], detail: { eventName: ["CreateUser", "DeleteUser"] } })),
        withPattern("any-operation", JSON.stringify({ source: ["aws.iam"] })),
        withPattern("any-source", JSON.stringify({ detail: { eventName: ["CreateUser"] } })),
        withPattern("prefix", JSON.stringify({ source: [{ prefix: "aws." }], detail: { eventName: ["Get", { prefix: "Create" }] } })),
      ],
      [target("exact"), target("any-operation"), target("any-source"), target("prefix")],
    );
    const [exact, anyOperation, anySource, prefix] = await cache.live(f.tx, scope.accountId, scope.region);
    assert.equal(mayMatch(exact!, "aws.iam", "CreateUser"), true);
    assert.equal(mayMatch(exact!, "aws.iam", "GetUser"), false);
    assert.equal(mayMatch(exact!, "aws.sts", "CreateUser"), false);
    assert.equal(mayMatch(exact!, "aws.iam", undefined), false);
    assert.equal(mayMatch(anyOperation!, "aws.iam", "GetUser"), true);
    assert.equal(mayMatch(anySource!, "my.app", "CreateUser"), true);
    assert.equal(mayMatch(anySource!, "my.app", "DeleteUser"), false);
    // A field with any other matcher than exact strings says nothing: the pattern module decides.
    assert.equal(mayMatch(prefix!, "anything", "Whatever"), true);
  });
});
