import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateServiceCommand,
  CreateHttpNamespaceCommand,
  DiscoverInstancesRevisionCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
} from "@aws-sdk/client-servicediscovery";
import { startCairn, type CairnProcess, type Credentials } from "../support/cairn-process.js";
import { signedCairnCall } from "../support/cairn-endpoints.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId } from "../support/cloudmap.js";
import { allow, userWithPolicy } from "../support/identity.js";

interface WatchAnswer {
  Changed: boolean;
  InstancesRevision: number;
  HealthVersion: string;
  Instances: Array<{ InstanceId: string; HealthStatus: string }>;
}

describe("GET /_cairn/watch", () => {
  let cairn: CairnProcess;
  let webId: string;
  let checkedId: string;
  /** `credentials` null: unsigned. */
  const watch = (query: Record<string, string>, credentials: Credentials | null = cairn.credentials, service = "servicediscovery") =>
    signedCairnCall(cairn.url, credentials ?? undefined, "GET", "/_cairn/watch", { service, query });
  const revision = async (ServiceName: string) =>
    (await cloudMap(cairn).send(new DiscoverInstancesRevisionCommand({ NamespaceName: "shop", ServiceName }))).InstancesRevision!;

  before(async () => {
    cairn = await startCairn();
    const sd = cloudMap(cairn);
    const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "shop" }));
    webId = (await sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId }))).Service!.Id!;
    checkedId = (await sd.send(new CreateServiceCommand({ Name: "checked", NamespaceId: namespaceId, HealthCheckCustomConfig: { FailureThreshold: 1 } }))).Service!.Id!;
  });
  after(async () => {
    await cairn?.stop();
  });

  test("answers within 100 ms of a registration made through another client", async () => {
    const since = await revision("web");
    const watching = watch({ namespace: "shop", service: "web", revision: String(since), wait: "30" }).then((answer) => ({ answer, at: performance.now() }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const other = cloudMap(cairn);
    await other.send(new RegisterInstanceCommand({ ServiceId: webId, InstanceId: "web-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
    const registeredAt = performance.now();
    const { answer, at } = await watching;
    assert.equal(answer.status, 200, answer.body);
    const body = answer.json() as unknown as WatchAnswer;
    assert.equal(body.Changed, true);
    assert.ok(body.InstancesRevision > since);
    assert.deepEqual(body.Instances.map((i) => i.InstanceId), ["web-1"]);
    assert.ok(at - registeredAt < 100, `answered ${Math.round(at - registeredAt)} ms after the registration`);
  });

  test("answers at once without a revision, and with Changed false when wait runs out", async () => {
    const current = (await watch({ namespace: "shop", service: "web" })).json() as unknown as WatchAnswer;
    assert.equal(current.Changed, true);
    const started = performance.now();
    const idle = (await watch({ namespace: "shop", service: "web", revision: String(current.InstancesRevision), wait: "0.5" })).json() as unknown as WatchAnswer;
    const took = performance.now() - started;
    assert.equal(idle.Changed, false);
    assert.equal(idle.InstancesRevision, current.InstancesRevision);
    assert.ok(took >= 450 && took < 2000, `waited ${Math.round(took)} ms`);
  });

  test("health changes move HealthVersion, not InstancesRevision, and wake a watch that names it", async () => {
    const sd = cloudMap(cairn);
    await sd.send(new RegisterInstanceCommand({ ServiceId: checkedId, InstanceId: "c-1", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.2" } }));
    const current = (await watch({ namespace: "shop", service: "checked" })).json() as unknown as WatchAnswer;
    const watching = watch({ namespace: "shop", service: "checked", revision: String(current.InstancesRevision), healthVersion: current.HealthVersion, wait: "30" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: checkedId, InstanceId: "c-1", Status: "UNHEALTHY" }));
    const answer = (await watching).json() as unknown as WatchAnswer;
    assert.equal(answer.Changed, true);
    assert.equal(answer.InstancesRevision, current.InstancesRevision);
    assert.notEqual(answer.HealthVersion, current.HealthVersion);
    assert.deepEqual(answer.Instances.map((i) => i.HealthStatus), ["UNHEALTHY"]);
  });

  test("is refused to callers who may not DiscoverInstances, as DiscoverInstances is", async () => {
    const elsewhere = await userWithPolicy(cairn, "elsewhere", allow("servicediscovery:DiscoverInstances", "*", { StringEquals: { "servicediscovery:NamespaceName": "other" } }));
    const nobody = await userWithPolicy(cairn, "nobody", allow("servicediscovery:ListNamespaces"));
    const reader = await userWithPolicy(cairn, "reader", allow("servicediscovery:DiscoverInstances"));
    const query = { namespace: "shop", service: "web", wait: "0" };
    const cases: Array<[string, Credentials | null, string | undefined, string]> = [
      ["unsigned", null, undefined, "MissingAuthenticationTokenException"],
      ["a wrong secret", { ...cairn.credentials, secretAccessKey: "y".repeat(40) }, undefined, "InvalidSignatureException"],
      ["scoped to another service", cairn.credentials, "cloudtrail", "InvalidSignatureException"],
      ["a user without DiscoverInstances", nobody, undefined, "AccessDeniedException"],
      ["a user allowed another namespace only", elsewhere, undefined, "AccessDeniedException"],
    ];
    for (const [who, credentials, service, code] of cases) {
      const answer = await watch(query, credentials, service);
      assert.equal(answer.json().__type, code, `${who}: ${answer.body}`);
      assert.equal(answer.status, 400, who);
      assert.equal(answer.json().Instances, undefined, who);
    }
    const allowed = await watch(query, reader);
    assert.equal(allowed.status, 200, allowed.body);
  });

  test("bad parameters and unknown services get AWS's errors", async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ namespace: "shop" }, "InvalidInput", /namespace and service are required/],
      [{ namespace: "shop", service: "web", wait: "301" }, "InvalidInput", /wait must be a number of seconds from 0 to 300/],
      [{ namespace: "shop", service: "web", revision: "-1" }, "InvalidInput", /revision must be a non-negative integer/],
      [{ namespace: "nowhere", service: "web" }, "NamespaceNotFound", /./],
      [{ namespace: "shop", service: "nothing" }, "ServiceNotFound", /./],
    ];
    for (const [query, code, message] of cases) {
      const answer = await watch(query);
      assert.equal(answer.json().__type, code, JSON.stringify(query));
      assert.match(String(answer.json().Message), message);
    }
  });

  test("a waiting watch is answered when the server stops, and does not hold the stop", async () => {
    const since = await revision("web");
    const watching = watch({ namespace: "shop", service: "web", revision: String(since), wait: "300" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    assert.equal(await cairn.stop(), 0);
    const took = performance.now() - started;
    assert.ok(took < 5000, `stopped in ${Math.round(took)} ms`);
    const answer = (await watching).json() as unknown as WatchAnswer;
    assert.equal(answer.Changed, false);
  });
});
