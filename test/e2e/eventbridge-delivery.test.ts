import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeRuleCommand, EnableRuleCommand, PutEventsCommand, PutRuleCommand, type EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CreateHttpNamespaceCommand, DeleteNamespaceCommand, ListNamespacesCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";
import { uniqueName } from "../support/cloudmap.js";
import { eventBridge, LOOPBACK_TARGETS, ruleToReceiver, startReceiver, type Receiver } from "../support/eventbridge.js";
import { as, userWithPolicy } from "../support/identity.js";
import { eventually } from "../support/trails.js";

/** Events a receiver got for one CloudTrail request ID. */
const ofRequest = (receiver: Receiver, requestId: string) => receiver.received.filter((r) => r.json().detail?.requestID === requestId);

async function requestIdOf(call: Promise<{ $metadata: { requestId?: string } }>): Promise<string> {
  return (await call).$metadata.requestId!;
}

/** A pattern on one Cloud Map operation's CloudTrail events. */
const cloudMapCall = (...eventName: string[]) => JSON.stringify({ source: ["aws.servicediscovery"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventName } });

describe("the CloudTrail feed to API destinations", () => {
  let cairn: CairnProcess;
  let eb: EventBridgeClient;
  let sd: ServiceDiscoveryClient;
  let receiver: Receiver;
  before(async () => {
    cairn = await startCairn({ args: LOOPBACK_TARGETS });
    eb = eventBridge(cairn);
    sd = cloudMap(cairn);
    receiver = await startReceiver();
  });
  after(async () => {
    await cairn.stop();
    await receiver.close();
  });

  it("delivers AWS's envelope whose detail is the LookupEvents record, with the connection's auth", async () => {
    const path = `/envelope-${uniqueName("p")}`;
    await ruleToReceiver(eb, receiver.url + path, { EventPattern: cloudMapCall("CreateHttpNamespace") });
    const requestId = await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") })));
    const [got] = await eventually(() => (ofRequest(receiver, requestId).length > 0 ? ofRequest(receiver, requestId) : undefined), "delivery");
    const event = got!.json();
    assert.equal(got!.url, path);
    assert.equal(got!.method, "POST");
    assert.equal(got!.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(got!.headers["x-api-key"], "s3cret-key");
    const [looked] = (await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateHttpNamespace" }] })).filter(
      (e) => recordOf(e).requestID === requestId,
    );
    const record = recordOf(looked!);
    assert.deepEqual(event.detail, record);
    assert.deepEqual(Object.keys(event), ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"]);
    assert.equal(event.version, "0");
    assert.match(event.id, /^[0-9a-f-]{36}$/);
    assert.equal(event["detail-type"], "AWS API Call via CloudTrail");
    assert.equal(event.source, "aws.servicediscovery");
    assert.equal(event.account, cairn.accountId);
    assert.equal(event.region, "us-east-1");
    assert.equal(event.time, record.eventTime);
    assert.deepEqual(event.resources, []);
  });

  it("turns failed calls into events too", async () => {
    await ruleToReceiver(eb, `${receiver.url}/failed`, { EventPattern: cloudMapCall("DeleteNamespace") });
    const requestId = await requestIdOf(sd.send(new DeleteNamespaceCommand({ Id: "ns-doesnotexist0000" })).catch((e: { $metadata: { requestId?: string } }) => ({ $metadata: e.$metadata })));
    const [got] = await eventually(() => (ofRequest(receiver, requestId).length > 0 ? ofRequest(receiver, requestId) : undefined), "delivery of a failed call");
    assert.equal(got!.json().detail.errorCode, "NamespaceNotFound");
  });

  it("routes read-only calls only to rules in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, and nothing to disabled rules", async () => {
    const pattern = cloudMapCall("ListNamespaces", "CreateHttpNamespace");
    const writes = await ruleToReceiver(eb, `${receiver.url}/writes`, { EventPattern: pattern });
    await ruleToReceiver(eb, `${receiver.url}/all`, { EventPattern: pattern, State: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" });
    const disabled = await ruleToReceiver(eb, `${receiver.url}/disabled`, { EventPattern: pattern, State: "DISABLED" });
    const read = await requestIdOf(sd.send(new ListNamespacesCommand({})));
    const write = await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") })));
    const at = (p: string, id: string) => receiver.received.filter((r) => r.url === p && r.json().detail.requestID === id);
    await eventually(() => (at("/all", read).length && at("/all", write).length && at("/writes", write).length ? true : undefined), "deliveries");
    // A later write reaching the writes-only rule shows the worker has passed the read.
    const witness = await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") })));
    await eventually(() => (at("/writes", witness).length ? true : undefined), "witness");
    assert.equal(at("/writes", read).length, 0);
    assert.equal(receiver.received.filter((r) => r.url === "/disabled").length, 0);
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: writes.ruleName }))).State, "ENABLED");
    await eb.send(new EnableRuleCommand({ Name: disabled.ruleName }));
    const after = await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") })));
    await eventually(() => (at("/disabled", after).length ? true : undefined), "delivery once enabled");
  });

  it("keeps each region's events on that region's bus", async () => {
    const west = eventBridge(cairn, "us-west-2");
    await ruleToReceiver(west, `${receiver.url}/west`, { EventPattern: cloudMapCall("CreateHttpNamespace") });
    const east = await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") })));
    const westCall = await requestIdOf(cloudMap(cairn, "us-west-2").send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") })));
    const got = await eventually(() => receiver.received.find((r) => r.url === "/west" && r.json().detail.requestID === westCall), "us-west-2 delivery");
    assert.equal(got.json().region, "us-west-2");
    assert.equal(receiver.received.filter((r) => r.url === "/west" && r.json().detail.requestID === east).length, 0);
  });

  it("sends the InputTransformer's result, and InputPath's", async () => {
    await ruleToReceiver(eb, `${receiver.url}/transformed`, { EventPattern: cloudMapCall("CreateHttpNamespace") }, {
      InputTransformer: { InputPathsMap: { op: "$.detail.eventName", src: "$.source" }, InputTemplate: '{"op": <op>, "text": "called <op> from <src>", "rule": "<aws.events.rule-name>"}' },
    });
    const path = await ruleToReceiver(eb, `${receiver.url}/path`, { EventPattern: cloudMapCall("CreateHttpNamespace") }, { InputPath: "$.detail.requestParameters" });
    const name = uniqueName("ns");
    await sd.send(new CreateHttpNamespaceCommand({ Name: name }));
    const transformed = await eventually(() => receiver.received.find((r) => r.url === "/transformed"), "transformed delivery");
    assert.deepEqual(transformed.json(), { op: "CreateHttpNamespace", text: "called CreateHttpNamespace from aws.servicediscovery", rule: transformed.json().rule });
    assert.match(transformed.json().rule, /^rule-/);
    const byPath = await eventually(() => receiver.received.find((r) => r.url === "/path" && r.json().name === name), "InputPath delivery");
    assert.equal(byPath.json().name, name);
    assert.ok(path.ruleArn);
  });

  it("delivers PutEvents' custom events to matching rules", async () => {
    await ruleToReceiver(eb, `${receiver.url}/custom`, { EventPattern: JSON.stringify({ source: ["my.app"], detail: { kind: ["order"] } }) });
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: "my.app", DetailType: "Order placed", Detail: JSON.stringify({ kind: "order", n: 7 }), Resources: ["r1"] }] }));
    const id = put.Entries![0]!.EventId!;
    const got = await eventually(() => receiver.received.find((r) => r.url === "/custom" && r.json().id === id), "custom delivery");
    const event = got.json();
    assert.deepEqual([event.source, event["detail-type"], event.detail, event.resources, event.account], ["my.app", "Order placed", { kind: "order", n: 7 }, ["r1"], cairn.accountId]);
  });

  it("retries a failing receiver with the same envelope id, and counts it", async () => {
    let failures = 0;
    receiver.answer = (r) => (r.url === "/flaky" && failures++ < 2 ? 500 : 200);
    await ruleToReceiver(eb, `${receiver.url}/flaky`, { EventPattern: cloudMapCall("CreateHttpNamespace") });
    await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") }));
    await eventually(() => (receiver.received.filter((r) => r.url === "/flaky").length >= 3 ? true : undefined), "three attempts", 20_000);
    const attempts = receiver.received.filter((r) => r.url === "/flaky");
    assert.equal(new Set(attempts.map((r) => r.json().id)).size, 1);
    const metrics = await (await fetch(`${cairn.url}/_cairn/metrics`)).text();
    assert.match(metrics, /cairn_eventbridge_deliveries_total\{[^}]*target="t1",outcome="retried"\} [1-9]/);
    assert.match(metrics, /cairn_eventbridge_deliveries_total\{[^}]*target="t1",outcome="delivered"\} [1-9]/);
    receiver.answer = () => 200;
  });

  it("stops at the target's RetryPolicy and drops the event", async () => {
    receiver.answer = (r) => (r.url === "/down" ? 503 : 200);
    await ruleToReceiver(eb, `${receiver.url}/down`, { EventPattern: cloudMapCall("CreateHttpNamespace") }, { RetryPolicy: { MaximumRetryAttempts: 1 } });
    await sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") }));
    await eventually(async () => ((await (await fetch(`${cairn.url}/_cairn/metrics`)).text()).match(/outcome="dropped"\} [1-9]/) ? true : undefined), "drop", 20_000);
    assert.equal(receiver.received.filter((r) => r.url === "/down").length, 2);
    // Log lines are written in batches: the failure's JSON line follows shortly.
    const line = await eventually(() => cairn.output().split("\n").find((l) => l.includes('"msg":"event dropped"')), "the drop's log line");
    assert.equal(JSON.parse(line).targetId, "t1");
    receiver.answer = () => 200;
  });

  it("lets IAM deny events:PutRule", async () => {
    const creds = await userWithPolicy(cairn, uniqueName("u"), {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "events:*", Resource: "*" },
        { Effect: "Deny", Action: "events:PutRule", Resource: `arn:aws:events:us-east-1:${cairn.accountId}:rule/locked-*` },
      ],
    });
    const user = eventBridge(as(cairn, creds));
    await assert.rejects(user.send(new PutRuleCommand({ Name: "locked-1", EventPattern: cloudMapCall("X") })), (e: Error) => e.name === "AccessDeniedException");
    await user.send(new PutRuleCommand({ Name: uniqueName("open"), EventPattern: cloudMapCall("X") }));
    await assert.rejects(eb.send(new DescribeRuleCommand({ Name: "locked-1" })), (e: Error) => e.name === "ResourceNotFoundException");
  });
});

describe("kill -9 between a call and its delivery", () => {
  it("loses no delivery: the outbox committed with the call is delivered after restart, with the same id", async () => {
    const receiver = await startReceiver();
    receiver.answer = () => 500;
    const first = await startCairn({ spawn: true, args: LOOPBACK_TARGETS });
    const eb = eventBridge(first);
    await ruleToReceiver(eb, `${receiver.url}/crash`, { EventPattern: cloudMapCall("CreateHttpNamespace") });
    const sd = cloudMap(first);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await requestIdOf(sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("ns") }))));
    await first.kill();
    const tried = new Map(receiver.received.map((r) => [r.json().detail.requestID as string, r.json().id as string]));
    receiver.answer = () => 200;
    const second = await startCairn({ dataDir: first.dataDir, account: { accountId: first.accountId, credentials: first.credentials }, args: LOOPBACK_TARGETS });
    try {
      const delivered = () => new Set(receiver.received.filter((r) => r.url === "/crash").map((r) => r.json().detail.requestID as string));
      await eventually(() => (ids.every((id) => delivered().has(id)) ? true : undefined), "every delivery after restart", 30_000);
      // An event tried before the crash comes again with the same envelope id.
      for (const r of receiver.received) {
        const id = r.json().detail.requestID as string;
        if (tried.has(id)) assert.equal(r.json().id, tried.get(id));
      }
    } finally {
      await second.stop();
      await receiver.close();
    }
  });
});
