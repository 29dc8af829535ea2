import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { LookupEventsCommand, type CloudTrailClient, type Event, type LookupAttributeKey } from "@aws-sdk/client-cloudtrail";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DiscoverInstancesCommand,
  DiscoverInstancesRevisionCommand,
  GetNamespaceCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListTagsForResourceCommand,
  RegisterInstanceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateHttpNamespaceCommand,
  type ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf, type TrailRecord } from "../support/cloudtrail.js";
import { send, signedJsonRequest } from "../support/raw.js";

/** One scripted Cloud Map call and what came of it, as the SDK saw it. */
interface Call {
  name: string;
  region: string;
  requestId: string;
  readOnly: boolean;
  phase: 1 | 2;
  errorCode?: string;
  errorMessage?: string;
}

const SD = "servicediscovery.amazonaws.com";
const CT = "cloudtrail.amazonaws.com";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;
let sdWest: ServiceDiscoveryClient;
let ct: CloudTrailClient;
let ctWest: CloudTrailClient;
const calls: Call[] = [];
let phase: 1 | 2 = 1;
let namespaceName: string;
let namespaceId: string;
let namespaceArn: string;
let scriptStart: number;
let phase1End: number;
let phase2Start: number;
let scriptEnd: number;
/** Whether Cloud Map services and instances are served yet (they arrive in a parallel piece of work). */
let instancesServed = false;
/** Every event of the script's window in us-east-1, newest first, one lookup followed to the end. */
let history: Event[];

async function track<T extends { $metadata: { requestId?: string } }>(
  name: string,
  readOnly: boolean,
  call: Promise<T>,
  region = "us-east-1",
): Promise<T> {
  try {
    const out = await call;
    calls.push({ name, region, readOnly, phase, requestId: out.$metadata.requestId! });
    return out;
  } catch (error) {
    const e = error as Error & { $metadata?: { requestId?: string } };
    calls.push({ name, region, readOnly, phase, requestId: e.$metadata!.requestId!, errorCode: e.name, errorMessage: e.message });
    throw error;
  }
}

async function fails(call: Promise<unknown>): Promise<void> {
  await call.then(
    () => assert.fail("expected the call to fail"),
    () => undefined,
  );
}

const east = (): Call[] => calls.filter((c) => c.region === "us-east-1");
const window = () => ({ StartTime: new Date(Math.floor(scriptStart / 1000) * 1000), EndTime: new Date(scriptEnd + 2000) });
const ids = (events: Event[], source = SD): string[] => events.map(recordOf).filter((r) => r.eventSource === source).map((r) => r.requestID);
const byRequestId = (requestId: string): TrailRecord => {
  const found = history.map(recordOf).find((r) => r.requestID === requestId);
  assert.ok(found, `an event for request ${requestId}`);
  return found;
};
const callNamed = (name: string, errorCode?: string): Call => {
  const call = calls.find((c) => c.name === name && c.errorCode === errorCode && c.region === "us-east-1");
  assert.ok(call, `the script made ${name}${errorCode ? ` failing with ${errorCode}` : ""}`);
  return call;
};

before(async () => {
  cairn = await startCairn();
  sd = cloudMap(cairn);
  sdWest = cloudMap(cairn, "us-west-2");
  ct = cloudTrail(cairn);
  ctWest = cloudTrail(cairn, "us-west-2");
  namespaceName = uniqueName("audit");
  scriptStart = Date.now();

  // Phase 1: create, read, list, update.
  const created = await track(
    "CreateHttpNamespace",
    false,
    sd.send(new CreateHttpNamespaceCommand({ Name: namespaceName, Description: "first", CreatorRequestId: `req-${namespaceName}`, Tags: [{ Key: "Team", Value: "core" }] })),
  );
  const op = await track("GetOperation", true, sd.send(new GetOperationCommand({ OperationId: created.OperationId })));
  namespaceId = op.Operation!.Targets!.NAMESPACE!;
  const ns = await track("GetNamespace", true, sd.send(new GetNamespaceCommand({ Id: namespaceId })));
  namespaceArn = ns.Namespace!.Arn!;
  await track("ListNamespaces", true, sd.send(new ListNamespacesCommand({ Filters: [{ Name: "NAME", Values: [namespaceName], Condition: "EQ" }] })));
  await track("UpdateHttpNamespace", false, sd.send(new UpdateHttpNamespaceCommand({ Id: namespaceId, UpdaterRequestId: `upd-${namespaceName}`, Namespace: { Description: "second" } })));
  phase1End = Date.now();

  // Phase 2 starts in a later second than phase 1 ended, so that time ranges can tell them apart.
  await sleep(1000 - (Date.now() % 1000) + 50);
  phase = 2;
  phase2Start = Date.now();
  await track("TagResource", false, sd.send(new TagResourceCommand({ ResourceARN: namespaceArn, Tags: [{ Key: "Env", Value: "dev" }] })));
  await track("ListTagsForResource", true, sd.send(new ListTagsForResourceCommand({ ResourceARN: namespaceArn })));
  await track("UntagResource", false, sd.send(new UntagResourceCommand({ ResourceARN: namespaceArn, TagKeys: ["Env"] })));
  await fails(track("CreateHttpNamespace", false, sd.send(new CreateHttpNamespaceCommand({ Name: "not a valid name" }))));
  await fails(track("GetNamespace", true, sd.send(new GetNamespaceCommand({ Id: "ns-aaaaaaaaaaaaaaaa" }))));

  // Instances in a namespace of their own, when this build serves them: a map (Attributes) in requestParameters.
  const probe = await sd.send(new CreateServiceCommand({ Name: "probe", NamespaceId: "ns-aaaaaaaaaaaaaaaa" })).catch((e: Error) => e);
  instancesServed = !(probe instanceof Error && probe.name === "UnknownOperationException");
  if (instancesServed) {
    calls.push({ name: "CreateService", region: "us-east-1", readOnly: false, phase, requestId: (probe as { $metadata: { requestId: string } }).$metadata.requestId, errorCode: (probe as Error).name });
    const other = await track("CreateHttpNamespace", false, sd.send(new CreateHttpNamespaceCommand({ Name: uniqueName("inst") })));
    const otherOp = await track("GetOperation", true, sd.send(new GetOperationCommand({ OperationId: other.OperationId })));
    const service = await track("CreateService", false, sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: otherOp.Operation!.Targets!.NAMESPACE! })));
    await track(
      "RegisterInstance",
      false,
      sd.send(
        new RegisterInstanceCommand({
          ServiceId: service.Service!.Id!,
          InstanceId: "web-1",
          Attributes: { AWS_INSTANCE_IPV4: "10.0.0.12", AWS_INSTANCE_PORT: "8080", custom_Key: "Value" },
        }),
      ),
    );
    // Discovery is a data event: answered, never recorded.
    await sd.send(new DiscoverInstancesCommand({ NamespaceName: "anything", ServiceName: "web" })).catch(() => undefined);
  }
  await track("DeleteNamespace", false, sd.send(new DeleteNamespaceCommand({ Id: namespaceId })));
  await track("CreateHttpNamespace", false, sdWest.send(new CreateHttpNamespaceCommand({ Name: uniqueName("west") })), "us-west-2");
  scriptEnd = Date.now();

  history = await lookupAll(ct, window());
});

after(async () => {
  await cairn.stop();
});

describe("recording", () => {
  test("every authenticated Cloud Map call has exactly one event, newest first, and nothing else from Cloud Map", () => {
    assert.deepEqual(ids(history), east().map((c) => c.requestId).reverse());
    // The rest of the window is CloudTrail's own LookupEvents calls.
    for (const r of history.map(recordOf).filter((r) => r.eventSource !== SD)) {
      assert.equal(r.eventSource, CT);
      assert.equal(r.eventName, "LookupEvents");
    }
  });

  test("a successful write's record has every field, in AWS's order", () => {
    const call = callNamed("CreateHttpNamespace");
    const r = byRequestId(call.requestId);
    assert.deepEqual(Object.keys(r), [
      "eventVersion",
      "userIdentity",
      "eventTime",
      "eventSource",
      "eventName",
      "awsRegion",
      "sourceIPAddress",
      "userAgent",
      "requestParameters",
      "responseElements",
      "requestID",
      "eventID",
      "readOnly",
      "eventType",
      "managementEvent",
      "recipientAccountId",
      "eventCategory",
    ]);
    assert.equal(r.eventVersion, "1.11");
    assert.deepEqual(r.userIdentity, {
      type: "Root",
      principalId: cairn.accountId,
      arn: `arn:aws:iam::${cairn.accountId}:root`,
      accountId: cairn.accountId,
      accessKeyId: cairn.credentials.accessKeyId,
    });
    assert.match(String(r.eventTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const t = Date.parse(String(r.eventTime));
    assert.ok(t >= Math.floor(scriptStart / 1000) * 1000 && t <= phase1End, "eventTime is when the call completed");
    assert.equal(r.eventSource, SD);
    assert.equal(r.eventName, "CreateHttpNamespace");
    assert.equal(r.awsRegion, "us-east-1");
    assert.equal(r.sourceIPAddress, "127.0.0.1");
    assert.match(String(r.userAgent), /aws-sdk-js\/3\./);
    assert.match(String(r.userAgent), /api\/servicediscovery/);
    assert.deepEqual(r.requestParameters, {
      name: namespaceName,
      creatorRequestId: `req-${namespaceName}`,
      description: "first",
      tags: [{ key: "Team", value: "core" }],
    });
    assert.match(String(r.responseElements?.operationId), /^[a-z2-7]{32}-[0-9a-z]{8}$/);
    assert.equal(r.requestID, call.requestId);
    assert.match(r.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(r.readOnly, false);
    assert.equal(r.eventType, "AwsApiCall");
    assert.equal(r.managementEvent, true);
    assert.equal(r.recipientAccountId, cairn.accountId);
    assert.equal(r.eventCategory, "Management");
    assert.equal("tlsDetails" in r, false, "no tlsDetails over plain HTTP");
  });

  test("a read is recorded read-only, with its parameters and no response elements", () => {
    const r = byRequestId(callNamed("GetNamespace").requestId);
    assert.equal(r.readOnly, true);
    assert.deepEqual(r.requestParameters, { id: namespaceId });
    assert.equal(r.responseElements, null);
    assert.equal("errorCode" in r, false);
    const list = byRequestId(callNamed("ListNamespaces").requestId);
    assert.deepEqual(list.requestParameters, { filters: [{ name: "NAME", values: [namespaceName], condition: "EQ" }] });
  });

  test("nested members are lower-camel and writes without output members log null", () => {
    const update = byRequestId(callNamed("UpdateHttpNamespace").requestId);
    assert.deepEqual(update.requestParameters, { id: namespaceId, updaterRequestId: `upd-${namespaceName}`, namespace: { description: "second" } });
    assert.equal(typeof update.responseElements?.operationId, "string");
    const tag = byRequestId(callNamed("TagResource").requestId);
    assert.deepEqual(tag.requestParameters, { resourceARN: namespaceArn, tags: [{ key: "Env", value: "dev" }] });
    assert.equal(tag.responseElements, null, "TagResource's output has no members");
    assert.deepEqual(byRequestId(callNamed("UntagResource").requestId).requestParameters, { resourceARN: namespaceArn, tagKeys: ["Env"] });
  });

  test("map keys keep their case (instance attributes)", (t) => {
    if (!instancesServed) return t.skip("RegisterInstance is not served by this build yet");
    const r = byRequestId(callNamed("RegisterInstance").requestId);
    assert.deepEqual((r.requestParameters as { attributes: unknown }).attributes, { AWS_INSTANCE_IPV4: "10.0.0.12", AWS_INSTANCE_PORT: "8080", custom_Key: "Value" });
    assert.equal((r.requestParameters as { instanceId: unknown }).instanceId, "web-1");
  });

  test("a validation failure is recorded with its error code and the message the caller got", () => {
    const call = callNamed("CreateHttpNamespace", "InvalidInput");
    const r = byRequestId(call.requestId);
    assert.equal(r.errorCode, "InvalidInput");
    assert.equal(r.errorMessage, call.errorMessage);
    assert.match(String(r.errorMessage), /validation error/);
    assert.deepEqual(r.requestParameters?.name, "not a valid name");
    assert.equal(r.responseElements, null);
    assert.equal(r.readOnly, false);
    const keys = Object.keys(r);
    assert.deepEqual(keys.slice(keys.indexOf("userAgent"), keys.indexOf("userAgent") + 5), ["userAgent", "errorCode", "errorMessage", "requestParameters", "responseElements"]);
  });

  test("a not-found failure is recorded with its error code", () => {
    const call = callNamed("GetNamespace", "NamespaceNotFound");
    const r = byRequestId(call.requestId);
    assert.equal(r.errorCode, "NamespaceNotFound");
    assert.equal(r.errorMessage, call.errorMessage);
    assert.equal(r.responseElements, null);
    assert.equal(r.readOnly, true);
  });

  test("requestID is the request id the response carried, for every call", () => {
    for (const call of east()) assert.equal(byRequestId(call.requestId).requestID, call.requestId);
  });

  test("DiscoverInstances and DiscoverInstancesRevision are never recorded", async () => {
    await sd.send(new DiscoverInstancesCommand({ NamespaceName: namespaceName, ServiceName: "web" })).catch(() => undefined);
    await sd.send(new DiscoverInstancesRevisionCommand({ NamespaceName: namespaceName, ServiceName: "web" })).catch(() => undefined);
    assert.equal(history.map(recordOf).filter((r) => r.eventName.startsWith("DiscoverInstances")).length, 0);
    for (const name of ["DiscoverInstances", "DiscoverInstancesRevision"]) {
      const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] }));
      assert.deepEqual(Events, [], name);
    }
  });

  test("LookupEvents itself is recorded as a read-only CloudTrail event", async () => {
    const res = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetNamespace" }], MaxResults: 5 }));
    const requestId = res.$metadata.requestId!;
    const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: CT }], MaxResults: 5 }));
    const r = Events!.map(recordOf).find((x) => x.requestID === requestId);
    assert.ok(r, "the LookupEvents call is in Event history");
    assert.equal(r.eventName, "LookupEvents");
    assert.equal(r.readOnly, true);
    assert.deepEqual(r.requestParameters, { lookupAttributes: [{ attributeKey: "EventName", attributeValue: "GetNamespace" }], maxResults: 5 });
    assert.equal(r.responseElements, null);
    assert.match(String(r.userAgent), /api\/cloudtrail/);
  });
});

describe("LookupEvents results", () => {
  test("each Event carries the record's facts, with ReadOnly as a string and CloudTrailEvent as the record", () => {
    const call = callNamed("CreateHttpNamespace");
    const event = history.find((e) => recordOf(e).requestID === call.requestId)!;
    const r = recordOf(event);
    assert.equal(event.EventId, r.eventID);
    assert.equal(event.EventName, "CreateHttpNamespace");
    assert.equal(event.ReadOnly, "false");
    assert.equal(event.AccessKeyId, cairn.credentials.accessKeyId);
    assert.ok(event.EventTime instanceof Date);
    assert.equal(event.EventTime.getTime(), Date.parse(String(r.eventTime)));
    assert.equal(event.EventSource, SD);
    assert.equal(event.Username, "root");
    assert.deepEqual(event.Resources, [
      { ResourceType: "AWS::ServiceDiscovery::HttpNamespace", ResourceName: namespaceId },
      { ResourceType: "AWS::ServiceDiscovery::HttpNamespace", ResourceName: namespaceArn },
    ]);
    const read = history.find((e) => recordOf(e).requestID === callNamed("GetNamespace").requestId)!;
    assert.equal(read.ReadOnly, "true");
    const list = history.find((e) => recordOf(e).requestID === callNamed("ListNamespaces").requestId)!;
    assert.deepEqual(list.Resources, [], "Resources is an empty list when the call names none");
  });

  test("by EventName: exactly the calls of that name", async () => {
    for (const name of new Set(east().map((c) => c.name))) {
      const found = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] });
      assert.deepEqual(ids(found), east().filter((c) => c.name === name).map((c) => c.requestId).reverse(), name);
      assert.ok(found.every((e) => e.EventName === name));
    }
    const none = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "createhttpnamespace" }] }));
    assert.deepEqual(none.Events, [], "event names are case-sensitive");
  });

  test("by EventSource: Cloud Map's calls, or CloudTrail's", async () => {
    const sdEvents = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: SD }] });
    assert.deepEqual(ids(sdEvents), east().map((c) => c.requestId).reverse());
    assert.equal(sdEvents.length, east().length);
    const ctEvents = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: CT }] });
    assert.ok(ctEvents.length > 0);
    assert.ok(ctEvents.every((e) => e.EventSource === CT && e.EventName === "LookupEvents"));
  });

  test("by ReadOnly: reads and writes, failures included", async () => {
    for (const readOnly of [true, false]) {
      const found = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: String(readOnly) }] });
      assert.deepEqual(ids(found), east().filter((c) => c.readOnly === readOnly).map((c) => c.requestId).reverse());
      assert.ok(found.every((e) => e.ReadOnly === String(readOnly)));
    }
  });

  test("by Username: root, case-sensitive", async () => {
    const found = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "root" }] });
    assert.deepEqual(ids(found), east().map((c) => c.requestId).reverse());
    for (const other of ["Root", "nobody"]) {
      const { Events } = await ct.send(new LookupEventsCommand({ ...window(), LookupAttributes: [{ AttributeKey: "Username", AttributeValue: other }] }));
      assert.deepEqual(Events, []);
    }
  });

  test("by AccessKeyId", async () => {
    const found = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: cairn.credentials.accessKeyId }] });
    assert.deepEqual(ids(found), east().map((c) => c.requestId).reverse());
    const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "AccessKeyId", AttributeValue: "AKIAOTHEROTHEROTHER0" }] }));
    assert.deepEqual(Events, []);
  });

  test("by EventId: that one event", async () => {
    for (const event of history.filter((e) => e.EventSource === SD)) {
      const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventId", AttributeValue: event.EventId! }] }));
      assert.equal(Events!.length, 1);
      assert.deepEqual(Events![0], event);
    }
  });

  test("by ResourceType and ResourceName: exactly the events that name the resource", async () => {
    const sdHistory = history.filter((e) => e.EventSource === SD);
    const types = new Set(sdHistory.flatMap((e) => e.Resources!.map((r) => r.ResourceType!)));
    const names = new Set(sdHistory.flatMap((e) => e.Resources!.map((r) => r.ResourceName!)));
    assert.ok(types.size > 0 && names.size > 0);
    for (const [key, values, field] of [
      ["ResourceType", types, "ResourceType"],
      ["ResourceName", names, "ResourceName"],
    ] as const) {
      for (const value of values) {
        const found = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] });
        const expected = sdHistory.filter((e) => e.Resources!.some((r) => r[field] === value)).map((e) => e.EventId);
        assert.deepEqual(found.map((e) => e.EventId), expected, `${key} = ${value}`);
      }
    }
    const byId = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: namespaceId }] });
    const namesById = byId.map((e) => e.EventName);
    for (const name of ["CreateHttpNamespace", "GetNamespace", "DeleteNamespace", "UpdateHttpNamespace", "TagResource", "ListTagsForResource", "UntagResource"]) {
      assert.ok(namesById.includes(name), `${name} in ${namesById.join()}`);
    }
    // The ID and the ARN name one namespace: either finds every event of it.
    const byArn = await lookupAll(ct, { ...window(), LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: namespaceArn }] });
    assert.deepEqual(byArn.map((e) => e.EventId), byId.map((e) => e.EventId));
  });

  test("StartTime and EndTime are inclusive bounds on eventTime", async () => {
    const phase2 = await lookupAll(ct, { StartTime: new Date(Math.floor(phase2Start / 1000) * 1000), EndTime: window().EndTime });
    assert.deepEqual(ids(phase2), east().filter((c) => c.phase === 2).map((c) => c.requestId).reverse());
    const phase1 = await lookupAll(ct, { StartTime: window().StartTime, EndTime: new Date(Math.floor(phase1End / 1000) * 1000) });
    assert.deepEqual(ids(phase1), east().filter((c) => c.phase === 1).map((c) => c.requestId).reverse());
    const creates = await lookupAll(ct, {
      StartTime: new Date(Math.floor(phase2Start / 1000) * 1000),
      EndTime: window().EndTime,
      LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateHttpNamespace" }],
    });
    assert.deepEqual(ids(creates), east().filter((c) => c.phase === 2 && c.name === "CreateHttpNamespace").map((c) => c.requestId).reverse());
    const exact = history.find((e) => e.EventSource === SD)!;
    const at = await lookupAll(ct, { StartTime: exact.EventTime, EndTime: exact.EventTime, LookupAttributes: [{ AttributeKey: "EventId", AttributeValue: exact.EventId! }] });
    assert.equal(at.length, 1, "an event at exactly StartTime = EndTime is included");
    const future = await ct.send(new LookupEventsCommand({ StartTime: new Date(Date.now() + 3_600_000) }));
    assert.deepEqual(future.Events, []);
  });

  test("without a time range, the last 90 days up to now", async () => {
    const all = await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: SD }] });
    assert.deepEqual(ids(all), east().map((c) => c.requestId).reverse());
  });

  test("MaxResults pages through everything exactly once, with NextToken only while more remain", async () => {
    const whole = ids(history, SD);
    for (const MaxResults of [1, 2, 7]) {
      const seen: Event[] = [];
      let NextToken: string | undefined;
      const input = { ...window(), LookupAttributes: [{ AttributeKey: "EventSource" as LookupAttributeKey, AttributeValue: SD }] };
      do {
        const page = await ct.send(new LookupEventsCommand({ ...input, MaxResults, NextToken }));
        assert.ok(page.Events!.length <= MaxResults);
        seen.push(...page.Events!);
        NextToken = page.NextToken;
      } while (NextToken);
      assert.deepEqual(ids(seen), whole, `MaxResults ${MaxResults}`);
    }
    const full = await ct.send(new LookupEventsCommand({ ...window(), LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: SD }], MaxResults: 50 }));
    assert.equal(full.NextToken, undefined);
    assert.deepEqual(ids(full.Events!), whole);
    const byDefault = await ct.send(new LookupEventsCommand({ ...window(), LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: SD }] }));
    assert.equal(byDefault.Events!.length, Math.min(50, whole.length), "MaxResults defaults to 50");
  });

  test("a NextToken only continues the lookup it came from", async () => {
    const input = { ...window(), LookupAttributes: [{ AttributeKey: "EventSource" as LookupAttributeKey, AttributeValue: SD }], MaxResults: 2 };
    const first = await ct.send(new LookupEventsCommand(input));
    assert.ok(first.NextToken);
    for (const changed of [
      { ...input, LookupAttributes: [{ AttributeKey: "EventSource" as LookupAttributeKey, AttributeValue: CT }] },
      { ...input, StartTime: new Date(input.StartTime.getTime() - 1000) },
      { MaxResults: 2 },
    ]) {
      await assert.rejects(ct.send(new LookupEventsCommand({ ...changed, NextToken: first.NextToken })), { name: "InvalidNextTokenException" });
    }
    await assert.rejects(ctWest.send(new LookupEventsCommand({ ...input, NextToken: first.NextToken })), { name: "InvalidNextTokenException" });
    const second = await ct.send(new LookupEventsCommand({ ...input, MaxResults: 3, NextToken: first.NextToken }));
    assert.deepEqual(ids([...first.Events!, ...second.Events!]), ids(history, SD).slice(0, 5), "MaxResults may change between pages");
  });

  test("Event history is per region", async () => {
    const west = calls.filter((c) => c.region === "us-west-2");
    assert.equal(west.length, 1);
    const westHistory = await lookupAll(ctWest, window());
    assert.deepEqual(ids(westHistory), [west[0]!.requestId]);
    assert.equal(recordOf(westHistory.find((e) => e.EventSource === SD)!).awsRegion, "us-west-2");
    assert.ok(!ids(history).includes(west[0]!.requestId), "us-east-1 does not see us-west-2's events");
  });

  test("an event can be looked up as soon as its call was answered", async () => {
    // In a region of its own, so that the script's history stays as it was.
    const [sdEu, ctEu] = [cloudMap(cairn, "eu-west-1"), cloudTrail(cairn, "eu-west-1")];
    for (let i = 0; i < 5; i++) {
      const read = await sdEu.send(new GetNamespaceCommand({ Id: "ns-bbbbbbbbbbbbbbbb" })).catch((e: { $metadata: { requestId: string } }) => e);
      const write = await sdEu.send(new CreateHttpNamespaceCommand({ Name: uniqueName("now") }));
      const { Events } = await ctEu.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: SD }], MaxResults: 2 }));
      assert.deepEqual(ids(Events!), [write.$metadata.requestId, read.$metadata.requestId]);
    }
  });
});

describe("LookupEvents errors", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      "two lookup attributes",
      {
        LookupAttributes: [
          { AttributeKey: "EventName", AttributeValue: "GetNamespace" },
          { AttributeKey: "ReadOnly", AttributeValue: "true" },
        ],
      },
      "InvalidLookupAttributesException",
    ],
    ["an unknown attribute key", { LookupAttributes: [{ AttributeKey: "UserName", AttributeValue: "root" }] }, "InvalidLookupAttributesException"],
    ["a ReadOnly value that is not a boolean", { LookupAttributes: [{ AttributeKey: "ReadOnly", AttributeValue: "yes" }] }, "InvalidLookupAttributesException"],
    ["an empty attribute value", { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "" }] }, "InvalidLookupAttributesException"],
    ["an attribute value over 2000 weighted characters", { LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: "a_".repeat(667) }] }, "InvalidLookupAttributesException"],
    ["a start after the end", { StartTime: new Date(Date.now()), EndTime: new Date(Date.now() - 60_000) }, "InvalidTimeRangeException"],
    ["MaxResults 0", { MaxResults: 0 }, "InvalidMaxResultsException"],
    ["MaxResults 51", { MaxResults: 51 }, "InvalidMaxResultsException"],
    ["a NextToken Cairn never issued", { NextToken: "bm90LWEtdG9rZW4" }, "InvalidNextTokenException"],
    ["an EventCategory other than insight", { EventCategory: "management" }, "InvalidEventCategoryException"],
  ];
  for (const [what, input, code] of cases) {
    test(`${what} is ${code}, and the failed call is recorded`, async () => {
      const error = await ct.send(new LookupEventsCommand(input as never)).then(
        () => assert.fail("expected an error"),
        (e: Error & { $metadata: { httpStatusCode: number; requestId: string } }) => e,
      );
      assert.equal(error.name, code);
      assert.equal(error.$metadata.httpStatusCode, 400);
      assert.ok(error.message.length > 0);
      const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: CT }], MaxResults: 5 }));
      const r = Events!.map(recordOf).find((x) => x.requestID === error.$metadata.requestId);
      assert.ok(r, "the failed LookupEvents is in Event history");
      assert.equal(r.errorCode, code);
      assert.equal(r.errorMessage, error.message);
    });
  }

  test("the weighted length allows exactly 2000", async () => {
    const { Events } = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: "a_".repeat(666) + "aa" }] }));
    assert.deepEqual(Events, []);
  });

  test("Insights events: none, but a valid request", async () => {
    const { Events, NextToken } = await ct.send(new LookupEventsCommand({ EventCategory: "insight" }));
    assert.deepEqual(Events, []);
    assert.equal(NextToken, undefined);
  });
});

describe("LookupEvents on the wire", () => {
  test("botocore's full X-Amz-Target and the SDK's short one both reach LookupEvents; the body is AWS's JSON", async () => {
    for (const target of ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents", "CloudTrail_20131101.LookupEvents"]) {
      const body = { LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: SD }], MaxResults: 1 };
      const res = await send(await signedJsonRequest(cairn.url, cairn.credentials, target, body, { service: "cloudtrail" }));
      assert.equal(res.status, 200, target);
      assert.equal(res.headers["content-type"], "application/x-amz-json-1.1");
      const json = res.json() as { Events: Array<Record<string, unknown>>; NextToken?: string };
      assert.equal(json.Events.length, 1);
      const [event] = json.Events;
      assert.equal(typeof event!.EventTime, "number", "EventTime is epoch seconds");
      assert.equal(event!.ReadOnly === "true" || event!.ReadOnly === "false", true);
      assert.equal(typeof event!.CloudTrailEvent, "string");
      assert.ok(Array.isArray(event!.Resources));
      assert.equal(typeof json.NextToken, "string");
    }
  });
});
