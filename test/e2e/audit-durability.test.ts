import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateHttpNamespaceCommand, GetNamespaceCommand, paginateListNamespaces, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { startCairn, tempDataDir, testAccount } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";

async function namespaceNames(sd: ServiceDiscoveryClient): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const page of paginateListNamespaces({ client: sd }, {})) for (const ns of page.Namespaces ?? []) names.add(ns.Name!);
  return names;
}

test("kill -9 right after acknowledged calls loses no change and no event, and no event outlives a change that did not commit", async () => {
  const dataDir = tempDataDir();
  const account = testAccount();
  const killed = await startCairn({ spawn: true, dataDir, account });
  let sd = cloudMap(killed);

  const acknowledged: Array<{ name: string; requestId: string }> = [];
  const reads: string[] = [];
  for (let i = 0; i < 20; i++) {
    const name = uniqueName(`ack${i}`);
    const out = await sd.send(new CreateHttpNamespaceCommand({ Name: name }));
    acknowledged.push({ name, requestId: out.$metadata.requestId! });
    const read = await sd.send(new GetNamespaceCommand({ Id: "ns-cccccccccccccccc" })).catch((e: { $metadata: { requestId: string } }) => e);
    reads.push(read.$metadata.requestId!);
  }
  // More writes in flight when the process dies: whichever were answered must survive with their events.
  const inFlight = Array.from({ length: 12 }, (_, i) => {
    const name = uniqueName(`fly${i}`);
    return sd.send(new CreateHttpNamespaceCommand({ Name: name })).then(
      (out) => acknowledged.push({ name, requestId: out.$metadata.requestId! }),
      () => undefined,
    );
  });
  await Promise.race(inFlight);
  await killed.kill();
  await Promise.all(inFlight);
  sd.destroy();

  const cairn = await startCairn({ dataDir, account });
  try {
    sd = cloudMap(cairn);
    const ct = cloudTrail(cairn);
    const names = await namespaceNames(sd);
    const creates = (await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateHttpNamespace" }] })).map(recordOf);
    const byRequest = new Map(creates.map((r) => [r.requestID, r]));
    assert.ok(acknowledged.length >= 21);
    for (const { name, requestId } of acknowledged) {
      assert.ok(names.has(name), `namespace ${name} survived`);
      const r = byRequest.get(requestId);
      assert.ok(r, `the event of ${name} survived`);
      assert.equal(r.errorCode, undefined);
      assert.equal((r.requestParameters as { name: string }).name, name);
    }
    // Changes and events exactly match: every namespace has its event, every successful create its namespace.
    const recordedNames = new Set(creates.filter((r) => r.errorCode === undefined).map((r) => (r.requestParameters as { name: string }).name));
    assert.deepEqual([...recordedNames].sort(), [...names].sort());
    const readEvents = new Set(
      (await lookupAll(ct, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetNamespace" }] })).map((e) => recordOf(e).requestID),
    );
    for (const requestId of reads) assert.ok(readEvents.has(requestId), `the read ${requestId} survived`);
  } finally {
    await cairn.stop();
  }
});

test("a clean stop keeps every answered call's event", async () => {
  const dataDir = tempDataDir();
  const account = testAccount();
  const stopped = await startCairn({ spawn: true, dataDir, account });
  const sd = cloudMap(stopped);
  const answered = await Promise.all(
    Array.from({ length: 40 }, () => sd.send(new GetNamespaceCommand({ Id: "ns-dddddddddddddddd" })).catch((e: { $metadata: { requestId: string } }) => e.$metadata.requestId)),
  );
  sd.destroy();
  assert.equal(await stopped.stop(), 0);
  const cairn = await startCairn({ dataDir, account });
  try {
    const found = new Set((await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetNamespace" }] })).map((e) => recordOf(e).requestID));
    for (const requestId of answered) assert.ok(found.has(requestId as string));
    assert.equal(found.size, 40);
  } finally {
    await cairn.stop();
  }
});
