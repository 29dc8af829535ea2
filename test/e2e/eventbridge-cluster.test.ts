import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DeleteRuleCommand, RemoveTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CreateHttpNamespaceCommand } from "@aws-sdk/client-servicediscovery";
import { cloudMap } from "../support/clients.js";
import { startCluster, type Cluster } from "../support/cluster.js";
import { uniqueName } from "../support/cloudmap.js";
import { eventBridge, ruleToReceiver, startReceiver, type Receiver } from "../support/eventbridge.js";
import { TEST_STORE } from "../support/postgres.js";
import { eventually } from "../support/trails.js";

const skip = TEST_STORE === "postgres" ? false : "several nodes need PostgreSQL (runs in the PostgreSQL pass)";

describe("the event bus on several nodes", { skip }, () => {
  let cluster: Cluster;
  let receiver: Receiver;
  before(async () => {
    cluster = await startCluster(2);
    receiver = await startReceiver();
  });
  after(async () => {
    await cluster.stop();
    await receiver.close();
  });

  it("routes a call on one node by a rule made on another, once, and stops when the rule goes", async () => {
    const [a, b] = cluster.nodes;
    const pattern = JSON.stringify({ source: ["aws.servicediscovery"], detail: { eventName: ["CreateHttpNamespace"] } });
    // Node b loads the bus (no rule yet) before the rule exists: it must hear of the rule, not keep its empty cache.
    await cloudMap(b!).send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") }));
    const { ruleName } = await ruleToReceiver(eventBridge(a!), `${receiver.url}/cluster`, { EventPattern: pattern });
    const name = uniqueName("ns");
    await eventually(async () => {
      const requestId = (await cloudMap(b!).send(new CreateHttpNamespaceCommand({ Name: `${name}-${receiver.received.length}` }))).$metadata.requestId;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return receiver.received.some((r) => r.json().detail.requestID === requestId) ? true : undefined;
    }, "a delivery of node b's call", 10_000);
    // One delivery worker in the cluster: each event is delivered once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ids = receiver.received.map((r) => r.json().id as string);
    assert.equal(new Set(ids).size, ids.length);
    await eventBridge(a!).send(new RemoveTargetsCommand({ Rule: ruleName, Ids: ["t1"] }));
    await eventBridge(a!).send(new DeleteRuleCommand({ Name: ruleName }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = receiver.received.length;
    await cloudMap(b!).send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") }));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(receiver.received.length, before);
  });
});
