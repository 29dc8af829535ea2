import { after, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  DiscoverInstancesCommand,
  GetInstanceCommand,
  RegisterInstanceCommand,
  ServiceDiscoveryServiceException,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, tempDataDir, testAccount, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId } from "../support/cloudmap.js";
import { cloudTrail, lookupAll, recordOf } from "../support/cloudtrail.js";

/** Each file Cairn writes is capped at this size (RLIMIT_FSIZE): writes past it fail with EFBIG, as on a full disk. */
const FILE_LIMIT = 3_000_000;

let cairn: CairnProcess | undefined;
after(async () => {
  if (cairn && cairn.child.exitCode === null) await cairn.stop();
});

test("a store that cannot write answers 503 ServiceUnavailable and acknowledges nothing it did not keep", { timeout: 120_000 }, async () => {
  const dataDir = tempDataDir();
  const account = testAccount();
  cairn = await startCairn({ dataDir, account, launcher: ["prlimit", `--fsize=${FILE_LIMIT}`, "--"] });
  const sd = cloudMap(cairn);
  const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "full" }));
  const service = await sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId }));
  const ServiceId = service.Service!.Id!;
  const bulky = { note: "x".repeat(900), more: "y".repeat(900), AWS_INSTANCE_IPV4: "10.0.0.1" };

  const acknowledged: string[] = [];
  let refused: ServiceDiscoveryServiceException | undefined;
  let refusedId = "";
  for (let i = 0; i < 990 && !refused; i++) {
    const InstanceId = `i-${i}`;
    try {
      await sd.send(new RegisterInstanceCommand({ ServiceId, InstanceId, Attributes: bulky }));
      acknowledged.push(InstanceId);
    } catch (error) {
      refused = error as ServiceDiscoveryServiceException;
      refusedId = InstanceId;
    }
  }
  assert.ok(refused, "the store filled up before the instance quota");
  assert.equal(refused.name, "ServiceUnavailable", cairn.output().split("\n").filter((l) => l.includes('"error"')).join("\n").slice(0, 2000));
  assert.equal(refused.$metadata.httpStatusCode, 503);
  assert.ok(acknowledged.length > 10);

  // The refused registration is not in the discovery view (only committed changes reach it); the server still answers.
  const found = await sd.send(new DiscoverInstancesCommand({ NamespaceName: "full", ServiceName: "api", MaxResults: 1000, HealthStatus: "ALL" }));
  const discovered = new Set(found.Instances!.map((i) => i.InstanceId));
  assert.equal(discovered.has(refusedId), false);
  assert.equal(discovered.size, acknowledged.length);
  assert.equal(await cairn.stop(), 0);

  // After a restart without the cap: every acknowledged call is there with its event, the refused one is not.
  cairn = await startCairn({ dataDir, account });
  const restarted = cloudMap(cairn);
  await assert.rejects(restarted.send(new GetInstanceCommand({ ServiceId, InstanceId: refusedId })), { name: "InstanceNotFound" });
  await restarted.send(new GetInstanceCommand({ ServiceId, InstanceId: acknowledged.at(-1)! }));
  const events = await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "RegisterInstance" }] });
  assert.equal(events.filter((e) => recordOf(e).errorCode === undefined).length, acknowledged.length);
});
