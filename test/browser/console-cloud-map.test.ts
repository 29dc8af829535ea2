import { before, describe } from "node:test";
import assert from "node:assert/strict";
import {
  CreatePrivateDnsNamespaceCommand,
  CreatePublicDnsNamespaceCommand,
  CreateServiceCommand,
  GetNamespaceCommand,
  GetServiceAttributesCommand,
  GetInstanceCommand,
  GetServiceCommand,
  ListTagsForResourceCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
} from "@aws-sdk/client-servicediscovery";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, uniqueName } from "../support/cloudmap.js";
import { browserMissing } from "../support/browser.js";
import { consoleFixture, operationOf, settled } from "../support/console.js";

describe("web console: editing Cloud Map", { skip: browserMissing }, () => {
  const c = consoleFixture();
  const namespaceName = `${uniqueName("edit")}.internal`;
  let namespaceId: string;
  let serviceId: string;
  let cacheId: string;

  before(async () => {
    const sd = cloudMap(c.cairn);
    namespaceId = await createdNamespaceId(sd, new CreatePrivateDnsNamespaceCommand({ Name: namespaceName, Vpc: "vpc-0123456789abcdef0" }));
    const { Service } = await sd.send(
      new CreateServiceCommand({ Name: "db", NamespaceId: namespaceId, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] } }),
    );
    serviceId = Service!.Id!;
    const cache = await sd.send(new CreateServiceCommand({ Name: "cache", NamespaceId: namespaceId, HealthCheckCustomConfig: {} }));
    cacheId = cache.Service!.Id!;
    await sd.send(new RegisterInstanceCommand({ ServiceId: cacheId, InstanceId: "c-1", Attributes: { AWS_INSTANCE_IPV4: "10.1.0.1", zone: "a" } }));
    await sd.send(new UpdateInstanceCustomHealthStatusCommand({ ServiceId: cacheId, InstanceId: "c-1", Status: "UNHEALTHY" }));
  });

  c.step("edits a namespace's description and SOA TTL, and its tags", async () => {
    const { page, cairn } = c;
    const sd = cloudMap(cairn);
    await page.goto(`${cairn.url}/console/#/namespaces/${namespaceId}`);
    await c.heading(namespaceName).waitFor();
    await settled(page);
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await c.dialog().getByLabel("Description").fill("the databases");
    await c.dialog().getByLabel("SOA record TTL (seconds)").fill("300");
    await c.dialog().getByRole("button", { name: "Save changes" }).click();
    await c.dialog().waitFor({ state: "detached" });
    await page.getByRole("region", { name: "Namespace details" }).getByText("the databases").waitFor();
    const { Namespace } = await sd.send(new GetNamespaceCommand({ Id: namespaceId }));
    assert.equal(Namespace!.Description, "the databases");
    assert.equal(Namespace!.Properties!.DnsProperties!.SOA!.TTL, 300);

    const tags = page.getByRole("region", { name: "Tags" });
    await tags.getByText("No tags.").waitFor();
    await tags.getByRole("button", { name: "Add tag" }).click();
    await c.dialog().getByLabel("Tag key").fill("env");
    await c.dialog().getByLabel("Tag value").fill("prod");
    await c.dialog().getByRole("button", { name: "Add tag" }).click();
    await tags.getByRole("row", { name: /env\s+prod/ }).waitFor();
    await tags.getByRole("button", { name: "Edit tag env" }).click();
    assert.equal(await c.dialog().getByLabel("Tag key").isDisabled(), true);
    await c.dialog().getByLabel("Tag value").fill("staging");
    await c.dialog().getByRole("button", { name: "Save changes" }).click();
    await tags.getByRole("row", { name: /env\s+staging/ }).waitFor();
    const listed = await sd.send(new ListTagsForResourceCommand({ ResourceARN: Namespace!.Arn }));
    assert.deepEqual(listed.Tags, [{ Key: "env", Value: "staging" }]);
    await tags.getByRole("button", { name: "Remove tag env" }).click();
    await tags.getByText("No tags.").waitFor();
    assert.deepEqual((await sd.send(new ListTagsForResourceCommand({ ResourceARN: Namespace!.Arn }))).Tags, []);
  });

  c.step("edits a service's description and DNS TTL, and its service attributes", async () => {
    const { page } = c;
    const sd = cloudMap(c.cairn);
    await page.getByRole("link", { name: "db", exact: true }).click();
    await c.heading("db").waitFor();
    await settled(page);
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await c.dialog().getByLabel("Description").fill("primary database");
    await c.dialog().getByLabel("A record TTL (seconds)").fill("120");
    await c.dialog().getByRole("button", { name: "Save changes" }).click();
    await c.dialog().waitFor({ state: "detached" });
    const details = page.getByRole("region", { name: "Service details" });
    await details.getByText("A (TTL 120)").waitFor();
    await details.getByText("primary database").waitFor();
    const { Service } = await sd.send(new GetServiceCommand({ Id: serviceId }));
    assert.equal(Service!.DnsConfig!.DnsRecords![0]!.TTL, 120);

    const attributes = page.getByRole("region", { name: "Service attributes" });
    await attributes.getByRole("button", { name: "Add attribute" }).click();
    await c.dialog().getByLabel("Attribute key").fill("owner");
    await c.dialog().getByLabel("Attribute value").fill("team-a");
    await c.dialog().getByRole("button", { name: "Add attribute" }).click();
    await attributes.getByRole("row", { name: /owner\s+team-a/ }).waitFor();
    await attributes.getByRole("button", { name: "Edit attribute owner" }).click();
    await c.dialog().getByLabel("Attribute value").fill("team-b");
    await c.dialog().getByRole("button", { name: "Save changes" }).click();
    await attributes.getByRole("row", { name: /owner\s+team-b/ }).waitFor();
    let stored = await sd.send(new GetServiceAttributesCommand({ ServiceId: serviceId }));
    assert.deepEqual(stored.ServiceAttributes!.Attributes, { owner: "team-b" });
    await c.browser.checkpoint("service-edit");
    await attributes.getByRole("button", { name: "Remove attribute owner" }).click();
    await attributes.getByText("No service attributes.").waitFor();
    stored = await sd.send(new GetServiceAttributesCommand({ ServiceId: serviceId }));
    assert.deepEqual(stored.ServiceAttributes!.Attributes ?? {}, {});
  });

  c.step("an instance's page explains its health and edits its attributes by registering it again", async () => {
    const { page, cairn } = c;
    await page.goto(`${cairn.url}/console/#/namespaces/${namespaceId}/services/${cacheId}`);
    await c.heading("cache").waitFor();
    await page.getByRole("link", { name: "c-1", exact: true }).click();
    await c.heading("c-1").waitFor();
    const health = await page.getByRole("region", { name: "Health status" }).innerText();
    assert.match(health, /UNHEALTHY/);
    assert.match(health, /custom health checks/);
    const crumbs = await page.getByRole("navigation", { name: "Breadcrumbs" }).innerText();
    assert.match(crumbs, new RegExp(`Namespaces / ${namespaceName.replace(/\./g, "\\.")} / cache / c-1`));
    const form = page.getByRole("form", { name: "Instance attributes" });
    const values = await form.locator("input").evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
    assert.deepEqual(values, ["AWS_INSTANCE_IPV4", "10.1.0.1", "zone", "a"]);
    await form.getByLabel("Attribute 2 value").fill("b");
    await form.getByRole("button", { name: "Add attribute" }).click();
    await form.getByLabel("Attribute 3 key").fill("role");
    await form.getByLabel("Attribute 3 value").fill("replica");
    const reloaded = page.waitForResponse((r) => operationOf(r.request()) === "GetInstance");
    await form.getByRole("button", { name: "Save changes" }).click();
    await reloaded;
    await settled(page);
    await c.browser.checkpoint("instance");
    const { Instance } = await cloudMap(cairn).send(new GetInstanceCommand({ ServiceId: cacheId, InstanceId: "c-1" }));
    assert.deepEqual(Instance!.Attributes, { AWS_INSTANCE_IPV4: "10.1.0.1", zone: "b", role: "replica" });
  });

  c.step("searches and sorts the services list", async () => {
    const { page, cairn } = c;
    await page.goto(`${cairn.url}/console/#/namespaces/${namespaceId}`);
    await c.heading(namespaceName).waitFor();
    await settled(page);
    const names = (): Promise<string[]> => page.getByRole("region", { name: "Services" }).locator("tbody tr td:first-child").allInnerTexts();
    assert.deepEqual(await names(), ["cache", "db"]);
    await page.getByLabel("Find services").fill("CACH");
    assert.deepEqual(await names(), ["cache"]);
    await page.getByLabel("Find services").fill("");
    const header = page.getByRole("columnheader", { name: "Name" });
    assert.equal(await header.getAttribute("aria-sort"), "ascending");
    await header.getByRole("button").click();
    assert.equal(await header.getAttribute("aria-sort"), "descending");
    assert.deepEqual(await names(), ["db", "cache"]);
    await page.getByRole("columnheader", { name: "Instances" }).getByRole("button").click();
    assert.deepEqual(await names(), ["db", "cache"], "0 instances before 1");
  });

  c.step("lists operations with ListOperations' filters and opens one with GetOperation", async () => {
    const { page } = c;
    await page.getByRole("link", { name: "Cloud Map" }).click();
    await page.getByRole("link", { name: "Operations" }).click();
    await c.heading("Operations").waitFor();
    await settled(page);
    const ids = page.locator("tbody tr td:first-child");
    const all = await ids.count();
    assert.ok(all >= 3, `namespace creation and registrations: ${all}`);
    await page.getByLabel("Type").selectOption("REGISTER_INSTANCE");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll("tbody tr").length < n, all);
    await settled(page);
    assert.equal(await ids.count(), 2, "c-1 registered, then registered again with new attributes");
    await ids.first().getByRole("button").click();
    await c.dialog().getByText("REGISTER_INSTANCE").waitFor();
    const details = await c.dialog().innerText();
    assert.match(details, /Type\s+REGISTER_INSTANCE/);
    assert.match(details, /Status\s+SUCCESS/);
    assert.match(details, /Target instance\s+c-1/);
    await c.browser.checkpoint("operations");
    await page.keyboard.press("Escape");
  });

  c.step("filters operations by update date (UPDATE_DATE), and refuses a range that ends before it starts", async () => {
    const { page } = c;
    // The console's time zone is UTC unless changed: datetime-local values are UTC here.
    const at = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString().slice(0, 19);
    const rows = page.locator("tbody tr");
    await page.getByLabel(/^Updated after/).fill(at(3_600_000));
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("No operations match.").waitFor();
    await page.getByLabel(/^Updated after/).fill(at(-3_600_000));
    await page.getByLabel(/^Updated before/).fill(at(3_600_000));
    await page.getByRole("button", { name: "Search" }).click();
    await rows.first().waitFor();
    await settled(page);
    assert.equal(await rows.count(), 2, "the two registrations of c-1 (Type is still REGISTER_INSTANCE)");
    await page.getByLabel(/^Updated before/).fill(at(-7_200_000));
    const sent: string[] = [];
    page.on("request", (r) => void sent.push(operationOf(r)));
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("alert").getByText("Updated after must not be later than Updated before.").waitFor();
    assert.ok(!sent.includes("ListOperations"), "nothing is sent for a reversed range");
  });

  c.step("edits a Route 53 health check's failure threshold and path", async () => {
    const { page, cairn } = c;
    const sd = cloudMap(cairn);
    const publicId = await createdNamespaceId(sd, new CreatePublicDnsNamespaceCommand({ Name: `${uniqueName("web")}.example.com` }));
    const { Service } = await sd.send(
      new CreateServiceCommand({ Name: "www", NamespaceId: publicId, DnsConfig: { DnsRecords: [{ Type: "A", TTL: 60 }] }, HealthCheckConfig: { Type: "HTTP", ResourcePath: "/health" } }),
    );
    await page.goto(`${cairn.url}/console/#/namespaces/${publicId}/services/${Service!.Id}`);
    await c.heading("www").waitFor();
    await settled(page);
    await page.getByRole("button", { name: "Edit", exact: true }).click();
    assert.equal(await c.dialog().getByLabel("Health check path").inputValue(), "/health");
    await c.dialog().getByLabel("Health check path").fill("/ready");
    await c.dialog().getByLabel("Failure threshold").fill("5");
    await c.dialog().getByRole("button", { name: "Save changes" }).click();
    await c.dialog().waitFor({ state: "detached" });
    const { Service: saved } = await sd.send(new GetServiceCommand({ Id: Service!.Id }));
    assert.deepEqual(saved!.HealthCheckConfig, { Type: "HTTP", ResourcePath: "/ready", FailureThreshold: 5 });
  });
});
