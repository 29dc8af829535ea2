import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { DeleteNamespaceCommand, ListNamespacesCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";

let cairn: CairnProcess;
let sd: ServiceDiscoveryClient;
let ct: CloudTrailClient;

interface Failure {
  name: string;
  $metadata: { httpStatusCode?: number };
  message: string;
}

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    const e = error as Failure;
    if (e.name === "ThrottlingException" || e.name === "RequestLimitExceeded") {
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, "Rate exceeded");
    }
    return e.name;
  }
}

before(async () => {
  cairn = await startCairn({ args: ["--throttle"] });
  sd = cloudMap(cairn);
  ct = cloudTrail(cairn);
});
after(async () => {
  await cairn.stop();
});

describe("--throttle: AWS's request rates per account and region", () => {
  test("LookupEvents beyond 2 per second is ThrottlingException, and answers again a second later", async () => {
    const burst = await Promise.all(Array.from({ length: 5 }, () => outcome(ct.send(new LookupEventsCommand({})))));
    assert.ok(burst.includes("ok"));
    assert.ok(burst.includes("ThrottlingException"), burst.join());
    await sleep(1100);
    assert.equal(await outcome(ct.send(new LookupEventsCommand({}))), "ok");
  });

  test("Cloud Map changes beyond their bucket are ThrottlingException, unrecorded, and recover", async () => {
    // 200 deletes of a namespace that does not exist at once: the bucket (40) and what refills (20 a second) while
    // they arrive are answered NamespaceNotFound; the rest are throttled, however slowly a loaded machine lets them in.
    const burst = await Promise.all(Array.from({ length: 200 }, () => outcome(sd.send(new DeleteNamespaceCommand({ Id: "ns-throttled00000000" })))));
    const throttled = burst.filter((o) => o === "ThrottlingException").length;
    const answered = burst.filter((o) => o === "NamespaceNotFound").length;
    assert.equal(throttled + answered, 200, burst.join());
    assert.ok(throttled >= 10, `${throttled} throttled`);
    // Reads have their own bucket.
    assert.equal(await outcome(sd.send(new ListNamespacesCommand({}))), "ok");
    await sleep(1100);
    assert.equal(await outcome(sd.send(new DeleteNamespaceCommand({ Id: "ns-throttled00000000" }))), "NamespaceNotFound");

    // Throttled calls are not in Event history; the answered ones are, each once.
    await sleep(1100);
    // Several pages of LookupEvents exceed its own 2 per second: read them as a client with retries would.
    const retrying = new CloudTrailClient({ endpoint: cairn.url, region: "us-east-1", credentials: cairn.credentials, maxAttempts: 8 });
    const events = await lookupAll(retrying, { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DeleteNamespace" }], MaxResults: 50 });
    assert.equal(events.length, answered + 1);
  });
});
