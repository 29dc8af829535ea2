import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CreateHttpNamespaceCommand, CreateServiceCommand, RegisterInstanceCommand } from "@aws-sdk/client-servicediscovery";
import { CLI, startCairn, tempDataDir } from "../support/cairn-process.js";
import { signedCairnCall } from "../support/cairn-endpoints.js";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId } from "../support/cloudmap.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const UNIT = path.join(ROOT, "packaging/systemd/cairn.service");
const EXAMPLE_CONFIG = path.join(ROOT, "packaging/systemd/cairn.json");
const hasSystemdAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;

describe("running under a service manager", () => {
  test("cairn --version prints the package's version", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const run = spawnSync(process.execPath, [CLI, flag], { encoding: "utf8" });
      assert.equal(run.status, 0);
      assert.equal(run.stdout, `${version}\n`);
    }
  });

  test("the systemd unit passes systemd-analyze verify and starts cairn serve with the packaged config", { skip: !hasSystemdAnalyze && "systemd-analyze is not installed" }, () => {
    const verify = spawnSync("systemd-analyze", ["verify", UNIT], { encoding: "utf8" });
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr.trim(), "", "no warnings");
    assert.match(fs.readFileSync(UNIT, "utf8"), /^ExecStart=\/usr\/bin\/env cairn serve --config \/etc\/cairn\/cairn\.json$/m);
  });

  test("the packaged config file starts a server (flags win over it)", async () => {
    const cairn = await startCairn({ spawn: true, args: ["--config", EXAMPLE_CONFIG, "--host", "127.0.0.1"] });
    try {
      assert.match(cairn.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${cairn.url}/_cairn/health`)).status, 200);
    } finally {
      assert.equal(await cairn.stop(), 0);
    }
  });

  test("settings in --config take effect: allow-reset and limits", async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, "cairn.json");
    fs.writeFileSync(file, JSON.stringify({ "allow-reset": true, "log-level": "warn", limits: { instancesPerService: 1 } }));
    const cairn = await startCairn({ spawn: true, dataDir, args: ["--config", file] });
    try {
      const sd = cloudMap(cairn);
      const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: "configured" }));
      const serviceId = (await sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId }))).Service!.Id!;
      await sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: "a", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
      await assert.rejects(sd.send(new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: "b", Attributes: { AWS_INSTANCE_IPV4: "10.0.0.2" } })), {
        name: "ResourceLimitExceeded",
      });
      assert.equal((await signedCairnCall(cairn.url, cairn.credentials, "POST", "/_cairn/reset")).status, 200);
      assert.doesNotMatch(cairn.output(), /"level":"info"/, "log-level from the file");
    } finally {
      await cairn.stop();
    }
  });

  test("a bad config file fails the start", async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, "cairn.json");
    fs.writeFileSync(file, JSON.stringify({ "dns-prot": 53 }));
    await assert.rejects(startCairn({ spawn: true, dataDir, args: ["--config", file] }), /exited with 1[\s\S]*unknown setting "dns-prot"/);
  });
});
