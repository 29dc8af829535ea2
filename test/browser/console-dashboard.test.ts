import { before, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
} from "@aws-sdk/client-servicediscovery";
import { CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, uniqueName } from "../support/cloudmap.js";
import { cloudTrail } from "../support/cloudtrail.js";
import { browserMissing } from "../support/browser.js";
import { consoleFixture, settled } from "../support/console.js";

describe("web console: Dashboard", { skip: browserMissing }, () => {
  const c = consoleFixture({ signIn: false });
  const namespaceName = uniqueName("dash");

  before(async () => {
    const sd = cloudMap(c.cairn);
    const namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: namespaceName }));
    const { Service } = await sd.send(new CreateServiceCommand({ Name: "api", NamespaceId: namespaceId, HealthCheckCustomConfig: {} }));
    for (const id of ["i-1", "i-2", "i-3"]) {
      await sd.send(new RegisterInstanceCommand({ ServiceId: Service!.Id, InstanceId: id, Attributes: { AWS_INSTANCE_IPV4: "10.0.0.1" } }));
    }
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: Service!.Id, InstanceId: "i-2", Status: "UNHEALTHY" }));
    fs.mkdirSync(path.join(c.cairn.dataDir, "buckets", "audit"), { recursive: true });
    await cloudTrail(c.cairn).send(new CreateTrailCommand({ Name: "org-audit", S3BucketName: "audit", IsMultiRegionTrail: true }));
    await cloudTrail(c.cairn).send(new StartLoggingCommand({ Name: "org-audit" }));
    await createdNamespaceId(cloudMap(c.cairn, "us-west-2"), new CreateHttpNamespaceCommand({ Name: uniqueName("west") }));
  });

  c.step("is the landing page after sign-in: recent changes, trails' health, Cloud Map counts and unhealthy instances", async () => {
    const { page, cairn } = c;
    await page.goto(`${cairn.url}/console/`);
    await page.getByLabel("Access key ID").fill(cairn.credentials.accessKeyId);
    await page.getByLabel("Secret access key").fill(cairn.credentials.secretAccessKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await c.heading("Dashboard").waitFor();
    await settled(page);

    const events = page.getByRole("region", { name: "Recent events" });
    assert.ok((await events.getByRole("row").count()) > 1, "recent events are listed");
    await events.getByRole("link", { name: "StartLogging" }).waitFor();

    const trails = await page.getByRole("region", { name: "Trails" }).innerText();
    assert.match(trails, /org-audit\s+On/);

    const counts = await page.getByRole("region", { name: "Cloud Map" }).innerText();
    assert.match(counts, /Namespaces\s+1\s+Services\s+1\s+Instances\s+3\s+Unhealthy instances\s+1/);
    assert.match(counts, /i-2 in api/);
    await c.browser.checkpoint("dashboard");

    await page.getByRole("region", { name: "Cloud Map" }).getByRole("link", { name: "api" }).click();
    await c.heading("api").waitFor();
    await page.getByRole("link", { name: namespaceName, exact: true }).waitFor();
  });

  c.step("an event on the dashboard opens Event history on that event", async () => {
    const { page } = c;
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.getByRole("region", { name: "Recent events" }).getByRole("link", { name: "StartLogging" }).click();
    await c.heading("Event history").waitFor();
    await page.getByRole("button", { name: "StartLogging" }).waitFor();
    assert.equal(await page.getByLabel("Lookup attribute").inputValue(), "EventId");
  });

  c.step("counts Cloud Map resources in every served region on request", async () => {
    const { page } = c;
    await page.getByRole("link", { name: "Dashboard" }).click();
    const section = page.getByRole("region", { name: "Counts by region" });
    await section.getByRole("button", { name: "Count in all regions" }).click();
    await section.getByRole("button", { name: "Count in all regions" }).waitFor({ timeout: 60_000 });
    const rows = await section.locator("tbody tr").allInnerTexts();
    const served = (await (await fetch(`${c.cairn.url}/_cairn/regions`)).json()) as string[];
    assert.equal(rows.length, served.length, "one row per served region");
    assert.ok(rows.some((r) => /^us-east-1\s+1\s+1\s+3\s+1$/.test(r)), rows.join(" | "));
    assert.ok(rows.some((r) => /^us-west-2\s+1\s+0\s+0\s+0$/.test(r)), rows.join(" | "));
    await c.browser.checkpoint("dashboard-regions");
  });
});
