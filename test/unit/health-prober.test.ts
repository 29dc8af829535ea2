import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { HealthProber } from "../../src/health/prober.js";
import { HealthCheckTargets } from "../../src/health/target-rule.js";
import { persistHealth } from "../../src/health/transition.js";
import type { HealthObserver } from "../../src/health/observer.js";
import type { InstanceRecord, ServiceRecord } from "../../src/store/records.js";
import { openSqliteStore } from "../../src/store/sqlite/open.js";
import type { Store } from "../../src/store/store.js";
import { DiscoveryView } from "../../src/view/discovery-view.js";
import { followStore } from "../../src/view/follow-store.js";
import { createLogger, silentLogger } from "../../src/observability/logger.js";

const ACCOUNT = "111111111111";
/** These tests probe loopback ports, which the default rule refuses. */
const targets = new HealthCheckTargets({ allowed: ["127.0.0.0/8"], ownPorts: () => [] });
const at = new Date(1_700_000_000_000);
let dir: string;
let store: Store;
let livePort: number;
let deadPort: number;
const live = net.createServer((s) => s.destroy());

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", () => resolve()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const serviceRecord = (id: string, extra: Partial<ServiceRecord>): ServiceRecord => ({
  id,
  arn: `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:service/${id}`,
  accountId: ACCOUNT,
  region: "us-east-1",
  namespaceId: "ns-1",
  name: id,
  type: "HTTP",
  createdByAccount: ACCOUNT,
  createDate: at,
  instancesRevision: 1,
  ...extra,
});
const instanceRecord = (serviceId: string, id: string, port: number, healthStatus: InstanceRecord["healthStatus"] = "HEALTHY"): InstanceRecord => ({
  serviceId,
  id,
  namespaceId: "ns-1",
  attributes: { AWS_INSTANCE_IPV4: "127.0.0.1", AWS_INSTANCE_PORT: String(port) },
  createdByAccount: ACCOUNT,
  healthStatus,
  createDate: at,
  updateDate: at,
});

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-health-"));
  store = await openSqliteStore(path.join(dir, "cairn.db"));
  await new Promise<void>((resolve) => live.listen(0, "127.0.0.1", () => resolve()));
  livePort = (live.address() as AddressInfo).port;
  deadPort = await closedPort();
  await store.transaction(async (tx) => {
    await tx.accounts.createAccount(ACCOUNT, at);
    await tx.namespaces.insert({ id: "ns-1", arn: `arn:aws:servicediscovery:us-east-1:${ACCOUNT}:namespace/ns-1`, accountId: ACCOUNT, region: "us-east-1", name: "n", type: "HTTP", httpName: "n", createDate: at });
    await tx.services.insert(serviceRecord("srv-tcp", { healthCheckConfig: { Type: "TCP", FailureThreshold: 2 } }), "srv-tcp");
    await tx.services.insert(serviceRecord("srv-custom", { healthCheckCustomConfig: { FailureThreshold: 1 } }), "srv-custom");
    await tx.instances.put(instanceRecord("srv-tcp", "up", livePort));
    await tx.instances.put(instanceRecord("srv-tcp", "down", deadPort));
    await tx.instances.put(instanceRecord("srv-custom", "c", deadPort));
  });
});
after(async () => {
  await store.close();
  await new Promise<void>((resolve) => live.close(() => resolve()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function recorder(): HealthObserver & { checks: string[]; transitions: string[] } {
  const checks: string[] = [];
  const transitions: string[] = [];
  return {
    checks,
    transitions,
    checked: (r) => checks.push(`${r.serviceId}/${r.instanceId}:${r.type}:${r.healthy}`),
    transitioned: (c) => transitions.push(`${c.instanceId}:${c.from}->${c.to}`),
  };
}

const stored = (serviceId: string, id: string) => store.transaction((tx) => tx.instances.get(serviceId, id));

describe("health prober", () => {
  test("a leader callback that says no skips the round", async () => {
    const view = await DiscoveryView.load(store);
    const observer = recorder();
    const prober = new HealthProber({ view, store, intervalMs: 1000, logger: silentLogger, observer, isActive: () => false, targets });
    await prober.runRound();
    assert.deepEqual(observer.checks, []);
  });

  test("an endpoint the target rule refuses is not probed, and the refusal is logged once", async () => {
    const view = await DiscoveryView.load(store);
    const observer = recorder();
    const logs: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void logs.push(JSON.parse(line).msg) } });
    const strict = new HealthCheckTargets({ allowed: [], ownPorts: () => [] });
    const prober = new HealthProber({ view, store, intervalMs: 1000, logger, observer, targets: strict });
    await prober.runRound();
    await prober.runRound();
    assert.deepEqual(observer.checks, [], "loopback instances registered earlier are skipped");
    assert.equal(logs.length, 2, "one warning per instance, not per round");
    assert.match(logs[0]!, /is not checked\. Cairn does not check the health of 127\.0\.0\.1: it is in the loopback range 127\.0\.0\.0\/8/);
  });

  test("FailureThreshold consecutive failures flip the status, in the store and the view, logged, once", async (t) => {
    const view = await DiscoveryView.load(store);
    // The prober writes the store only; the view hears it from the store's change stream.
    t.after(followStore(store, view, () => undefined));
    const observer = recorder();
    const logs: string[] = [];
    const prober = new HealthProber({ view, store, intervalMs: 1000, logger: createLogger({ level: "info", destination: { write: (line: string) => void logs.push(JSON.parse(line).msg) } }), observer, targets });
    const revision = view.service("srv-tcp")!.revision;

    await prober.runRound();
    assert.deepEqual(observer.checks.sort(), ["srv-tcp/down:TCP:false", "srv-tcp/up:TCP:true"], "custom-health services are never probed");
    assert.equal((await stored("srv-tcp", "down"))!.healthStatus, "HEALTHY", "one failure of two is not enough");

    await prober.runRound();
    assert.equal((await stored("srv-tcp", "down"))!.healthStatus, "UNHEALTHY");
    assert.equal(view.service("srv-tcp")!.instances.get("down")!.health, "UNHEALTHY");
    assert.equal(view.service("srv-tcp")!.revision, revision, "a health change moves no InstancesRevision");
    assert.equal((await stored("srv-tcp", "up"))!.healthStatus, "HEALTHY");
    assert.deepEqual(observer.transitions, ["down:HEALTHY->UNHEALTHY"]);
    assert.equal(logs.length, 1);
    assert.match(logs[0]!, /^health: instance down of service srv-tcp is UNHEALTHY \(was HEALTHY\) after 2 consecutive checks failed at tcp:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);

    await prober.runRound();
    await prober.runRound();
    assert.deepEqual(observer.transitions, ["down:HEALTHY->UNHEALTHY"], "further failures change nothing");
  });

  test("a flip is not recorded when the instance was re-registered at another endpoint meanwhile", async () => {
    await store.transaction((tx) => tx.instances.put(instanceRecord("srv-tcp", "moved", livePort)));
    const changed = await persistHealth(
      store,
      { accountId: ACCOUNT, region: "us-east-1", serviceId: "srv-tcp", instanceId: "moved", target: { type: "TCP", address: "127.0.0.1", port: deadPort } },
      "UNHEALTHY",
      new Date(),
    );
    assert.equal(changed, false);
    assert.equal((await stored("srv-tcp", "moved"))!.healthStatus, "HEALTHY");
  });
});
