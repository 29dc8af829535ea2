import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { GetInstanceCommand, GetInstancesHealthStatusCommand, GetNamespaceCommand, ListNamespacesCommand, type ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import type { Download, Locator, Page } from "playwright-core";
import { startCairn, type CairnProcess } from "../support/cairn-process.js";
import { cloudMap } from "../support/clients.js";
import { uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { browserMissing, launchConsoleBrowser, type ConsoleBrowser } from "../support/browser.js";
import { readEventTable, showColumns } from "../support/console.js";

/** One row of the Event history table, by column. */
interface EventTableRow {
  time: string;
  user: string;
  name: string;
  resourceType: string;
  resourceName: string;
  source: string;
  accessKey: string;
  sourceIp: string;
  errorCode: string;
}

// What the tests read inside the page (the project's TypeScript settings carry no DOM types).
declare const sessionStorage: { readonly length: number; getItem(key: string): string | null };
declare const localStorage: { readonly length: number };
declare const document: { readonly activeElement: { readonly textContent: string | null } | null };

const CSV_HEADER =
  '"Event ID","Event time","User name","Event name","Resource type","Resource name","AWS access key","Event source","AWS region","Error code","Source IP address","Read-only"';

describe("web console", { skip: browserMissing }, () => {
  let cairn: CairnProcess;
  let sd: ServiceDiscoveryClient;
  let browser: ConsoleBrowser;
  let page: Page;
  const namespaceName = uniqueName("console");
  let namespaceId: string;
  const instanceId = "i-console-1";

  before(async () => {
    cairn = await startCairn({ args: ["--regions", "on-prem-1"] });
    sd = cloudMap(cairn);
    browser = await launchConsoleBrowser();
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  /** A test step that fails on console errors and leaves screenshots of every page in .test-artifacts/ if it fails. */
  function step(name: string, body: () => Promise<void>): void {
    test(name, async () => {
      try {
        await body();
        assert.deepEqual(browser.takeUnexpectedErrors(), [], "the page logged console errors");
      } catch (error) {
        const files = await browser.saveArtifacts(name);
        if (error instanceof Error) error.message += `\nscreenshots: ${files.join(", ")}`;
        throw error;
      }
    });
  }

  const dialog = (): Locator => page.getByRole("dialog");
  const heading = (name: string): Locator => page.getByRole("heading", { level: 1, name, exact: true });

  /** The Event history table's rows, by column title (columns the user hid read as ""). */
  async function eventRows(): Promise<EventTableRow[]> {
    return (await readEventTable(page)).map((cells) => ({
      time: cells["Event time"] ?? "", user: cells["User name"] ?? "", name: cells["Event name"] ?? "",
      resourceType: cells["Resource type"] ?? "", resourceName: cells["Resource name"] ?? "", source: cells["Event source"] ?? "",
      accessKey: cells["AWS access key"] ?? "", sourceIp: cells["Source IP address"] ?? "", errorCode: cells["Error code"] ?? "",
    }));
  }

  /** Clicks something that makes the page call LookupEvents, and waits until the table shows the answer. */
  async function lookup(action: () => Promise<void>): Promise<void> {
    const answered = page.waitForResponse((response) => (response.request().headers()["x-amz-target"] ?? "").endsWith(".LookupEvents"));
    await action();
    await answered;
    await page.locator(".loading").waitFor({ state: "detached" });
  }

  /** Download → the format → Download in the dialog: the file saved. */
  async function downloadEvents(format: "CSV" | "JSON"): Promise<Download> {
    await page.getByRole("button", { name: "Download", exact: true }).click();
    await dialog().getByLabel(format, { exact: false }).check();
    const [download] = await Promise.all([page.waitForEvent("download"), dialog().getByRole("button", { name: "Download", exact: true }).click()]);
    await dialog().waitFor({ state: "detached" });
    return download;
  }

  async function search(attribute: string, value: string, range = "Any time (90 days)"): Promise<EventTableRow[]> {
    await page.getByLabel("Lookup attribute").selectOption({ label: attribute });
    const valueField = page.getByLabel("Value", { exact: true });
    if (attribute === "Read-only") await valueField.selectOption(value);
    else await valueField.fill(value);
    await page.getByLabel("Time range").selectOption({ label: range });
    await lookup(() => page.getByRole("button", { name: "Search" }).click());
    return eventRows();
  }

  /** The options of a region picker, in order, once the served regions have loaded. */
  async function regionOptions(picker: Locator): Promise<string[]> {
    await picker.locator("option", { hasText: /^on-prem-1$/ }).waitFor({ state: "attached" });
    return picker.locator("option").evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
  }

  async function servedRegions(): Promise<string[]> {
    const res = await fetch(`${cairn.url}/_cairn/regions`);
    return (await res.json()) as string[];
  }

  step("shows the sign-in page and refuses a wrong secret", async () => {
    await page.goto(`${cairn.url}/console/`);
    await heading("Sign in to Cairn").waitFor();
    const served = await servedRegions();
    assert.ok(served.includes("us-east-1") && served.includes("on-prem-1") && !served.includes("cn-north-1"));
    const signInPicker = page.getByLabel("Region");
    assert.deepEqual(await regionOptions(signInPicker), served, "the sign-in picker lists exactly the served regions");
    assert.equal(await signInPicker.inputValue(), "us-east-1");
    await page.getByLabel("Access key ID").fill(cairn.credentials.accessKeyId);
    await page.getByLabel("Secret access key").fill("not-the-secret");
    browser.allowApiError();
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await alert.innerText(), /Sign-in failed\.\s+InvalidSignatureException/);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "a refused key is not kept");
    await browser.checkpoint("sign-in");
  });

  step("sends the session token with every call (refused here: a long-term key takes none)", async () => {
    await page.getByLabel("Secret access key").fill(cairn.credentials.secretAccessKey);
    await page.getByLabel("Session token").fill("a-token-for-a-long-term-key");
    browser.allowApiError();
    const sent = page.waitForRequest((request) => request.method() === "POST");
    await page.getByRole("button", { name: "Sign in" }).click();
    assert.equal((await sent).headers()["x-amz-security-token"], "a-token-for-a-long-term-key");
    await page.getByRole("alert").filter({ hasText: "UnrecognizedClientException" }).waitFor();
    await page.getByLabel("Session token").fill("");
  });

  step("signs in with the keyboard and keeps the key in this tab's session storage only", async () => {
    const secret = page.getByLabel("Secret access key");
    await secret.fill(cairn.credentials.secretAccessKey);
    await secret.press("Enter");
    await heading("Dashboard").waitFor();
    await page.getByRole("link", { name: "Cloud Map" }).click();
    await heading("Namespaces").waitFor();
    const stored = await page.evaluate(() => ({ session: sessionStorage.getItem("cairn.console.session"), local: localStorage.length }));
    assert.equal(stored.local, 0);
    assert.deepEqual(JSON.parse(stored.session!), { ...cairn.credentials, region: "us-east-1" });
    await page.getByText("No namespaces in us-east-1 yet.").waitFor();
    await browser.checkpoint("namespaces-empty");
  });

  step("creates an HTTP namespace and lists it", async () => {
    await page.getByRole("button", { name: "Create namespace" }).click();
    await dialog().getByLabel("Namespace name").fill(namespaceName);
    await dialog().getByLabel("Description").fill("made in the console");
    assert.equal(await dialog().getByLabel("API calls", { exact: true }).isChecked(), true, "HTTP is the default type");
    await browser.checkpoint("create-namespace");
    await dialog().getByRole("button", { name: "Create namespace" }).click();
    await dialog().waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: namespaceName }) });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /API calls/);
    assert.match(text, /made in the console/);
    const listed = await sd.send(new ListNamespacesCommand({}));
    const created = listed.Namespaces!.find((ns) => ns.Name === namespaceName);
    assert.ok(created, "the namespace exists in Cairn");
    assert.equal(created.Type, "HTTP");
    namespaceId = created.Id!;
    assert.match(text, new RegExp(namespaceId));
    await browser.checkpoint("namespaces");
  });

  step("creates a private DNS namespace only with a VPC", async () => {
    await page.getByRole("button", { name: "Create namespace" }).click();
    await dialog().getByLabel("Namespace name").fill(`${namespaceName}.internal`);
    await dialog().getByLabel("API calls and DNS queries in VPCs").check();
    const vpc = dialog().getByLabel("VPC ID");
    await dialog().getByRole("button", { name: "Create namespace" }).click();
    assert.equal(await vpc.evaluate((input) => (input as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing), true);
    assert.equal(await dialog().count(), 1, "the form is not sent without a VPC");
    await vpc.fill("vpc-0123456789abcdef0");
    await dialog().getByRole("button", { name: "Create namespace" }).click();
    await dialog().waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: `${namespaceName}.internal` }) });
    assert.match(await row.innerText(), /API calls and DNS queries in VPCs/);
  });

  step("creates a service in the namespace", async () => {
    await page.getByRole("link", { name: namespaceName, exact: true }).click();
    await heading(namespaceName).waitFor();
    await page.getByText("No services in this namespace yet.").waitFor();
    await page.getByRole("button", { name: "Create service" }).click();
    await dialog().getByLabel("Service name").fill("web");
    await dialog().getByRole("button", { name: "Create service" }).click();
    await dialog().waitFor({ state: "detached" });
    await page.getByRole("link", { name: "web", exact: true }).waitFor();
    await browser.checkpoint("namespace");
  });

  step("registers an instance with attributes and shows its health", async () => {
    await page.getByRole("link", { name: "web", exact: true }).click();
    await heading("web").waitFor();
    await page.getByRole("button", { name: "Register instance" }).click();
    await dialog().getByLabel("Instance ID").fill(instanceId);
    await dialog().getByLabel("Attribute 1 value").fill("10.0.0.7");
    await dialog().getByLabel("Attribute 2 value").fill("8080");
    await dialog().getByRole("button", { name: "Add attribute" }).click();
    await dialog().getByLabel("Attribute 3 key").fill("color");
    await dialog().getByLabel("Attribute 3 value").fill("blue");
    await browser.checkpoint("register-instance");
    await dialog().getByRole("button", { name: "Register instance" }).click();
    await dialog().waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ hasText: instanceId });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /AWS_INSTANCE_IPV4 = 10\.0\.0\.7/);
    assert.match(text, /AWS_INSTANCE_PORT = 8080/);
    assert.match(text, /color = blue/);
    assert.match(text, /UNKNOWN/, "a service without a health check reports UNKNOWN");
    const serviceId = new URL(page.url()).hash.split("/").pop()!;
    const { Instance } = await sd.send(new GetInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId }));
    assert.deepEqual(Instance!.Attributes, { AWS_INSTANCE_IPV4: "10.0.0.7", AWS_INSTANCE_PORT: "8080", color: "blue" });
    await browser.checkpoint("service");
  });

  step("finds CreateHttpNamespace and RegisterInstance in Event history, write events only by default", async () => {
    await lookup(() => page.getByRole("link", { name: "Event history" }).click());
    await heading("Event history").waitFor();
    await showColumns(page, ["AWS access key", "Source IP address"]);
    const rows = await eventRows();
    // A namespace's events name it by its ID and its ARN.
    const created = rows.find((r) => r.name === "CreateHttpNamespace" && r.resourceName.split("\n")[0] === namespaceId);
    assert.ok(created, `CreateHttpNamespace is listed: ${JSON.stringify(rows)}`);
    assert.deepEqual(
      { user: created.user, type: created.resourceType, source: created.source, key: created.accessKey, ip: created.sourceIp, error: created.errorCode },
      { user: "root", type: "AWS::ServiceDiscovery::HttpNamespace\nAWS::ServiceDiscovery::HttpNamespace", source: "servicediscovery.amazonaws.com", key: cairn.credentials.accessKeyId, ip: "127.0.0.1", error: "" },
    );
    assert.match(created.time, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const registered = rows.find((r) => r.name === "RegisterInstance");
    assert.ok(registered, "RegisterInstance is listed");
    assert.match(registered.resourceName, new RegExp(instanceId));
    assert.equal(rows.filter((r) => r.name.startsWith("List") || r.name.startsWith("Get")).length, 0, "Read-only = false hides read events");
    await browser.checkpoint("event-history");
  });

  step("filters Event history by event name", async () => {
    const rows = await search("Event name", "RegisterInstance");
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.name, "RegisterInstance");
  });

  step("filters Event history by user name", async () => {
    const rows = await search("User name", "root");
    assert.ok(rows.length > 5, "the root user's reads and writes");
    assert.ok(rows.every((r) => r.user === "root"));
    for (const name of ["CreateHttpNamespace", "RegisterInstance", "ListNamespaces", "GetService"]) {
      assert.ok(rows.some((r) => r.name === name), `${name} is listed`);
    }
    await browser.checkpoint("event-history-root");
    assert.deepEqual(await search("User name", "nobody"), []);
    await page.getByText("No events match.").waitFor();
    await search("User name", "root");
  });

  step("opens an event's full record from the keyboard", async () => {
    const button = page.getByRole("button", { name: "RegisterInstance", exact: true });
    await button.focus();
    await page.keyboard.press("Enter");
    await dialog().getByRole("heading", { name: "RegisterInstance" }).waitFor();
    const record = JSON.parse(await dialog().getByLabel("Event record JSON").innerText()) as Record<string, any>;
    assert.equal(record["eventName"], "RegisterInstance");
    assert.equal(record["userIdentity"].type, "Root");
    assert.equal(record["requestParameters"].instanceId, instanceId);
    assert.deepEqual(record["requestParameters"].attributes, { AWS_INSTANCE_IPV4: "10.0.0.7", AWS_INSTANCE_PORT: "8080", color: "blue" });
    const details = await dialog().innerText();
    assert.match(details, new RegExp(`Event ID\\s+${record["eventID"]}`));
    assert.match(details, /AWS::ServiceDiscovery::Service/);
    await browser.checkpoint("event-detail");
    await page.keyboard.press("Escape");
    await dialog().waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "RegisterInstance", "focus returns to the event");
  });

  step("downloads the current results as CSV and JSON", async () => {
    const rows = await eventRows();
    const csvDownload = await downloadEvents("CSV");
    assert.equal(csvDownload.suggestedFilename(), "event_history.csv");
    const csv = fs.readFileSync((await csvDownload.path())!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    assert.equal(lines[0], CSV_HEADER);
    // Every matching event: those shown, and the console's own lookups recorded since (the filter is User name = root).
    const ids = lines.slice(1).map((line) => line.slice(1, line.indexOf('"', 1)));
    assert.ok(ids.length >= rows.length, "at least the events shown");
    const created = lines.find((line) => line.includes('"CreateHttpNamespace"'));
    assert.ok(created, "the CreateHttpNamespace event is in the CSV");
    const types = "AWS::ServiceDiscovery::HttpNamespace, AWS::ServiceDiscovery::HttpNamespace";
    const names = `${namespaceId}, arn:aws:servicediscovery:us-east-1:${cairn.accountId}:namespace/${namespaceId}`;
    assert.match(created, new RegExp(`"root","CreateHttpNamespace","${types}","${names}","${cairn.credentials.accessKeyId}","servicediscovery.amazonaws.com","us-east-1","","127.0.0.1","false"$`));

    const jsonDownload = await downloadEvents("JSON");
    assert.equal(jsonDownload.suggestedFilename(), "event_history.json");
    const { Records } = JSON.parse(fs.readFileSync((await jsonDownload.path())!, "utf8")) as { Records: Array<Record<string, any>> };
    assert.ok(Records.length >= ids.length, "the JSON download has them too");
    assert.deepEqual(
      Records.slice(Records.length - ids.length).map((r) => r["eventID"]),
      ids,
      "the same events, in the same order, after any recorded since",
    );
    const registered = Records.find((r) => r["eventName"] === "RegisterInstance");
    assert.equal(registered?.["requestParameters"].instanceId, instanceId);
    assert.equal(registered?.["eventVersion"], "1.11");
  });

  step("pages through more than 50 events with Load more", async () => {
    for (let i = 0; i < 55; i++) await sd.send(new GetNamespaceCommand({ Id: namespaceId }));
    const expected = (await lookupAll(cloudTrail(cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetNamespace" }] })).length;
    assert.ok(expected > 55);
    const first = await search("Event name", "GetNamespace");
    assert.equal(first.length, 50);
    await page.getByText("50 events loaded; more are available").waitFor();
    await lookup(() => page.getByRole("button", { name: "Load more" }).click());
    assert.equal((await eventRows()).length, expected);
    await page.getByText(`${expected} events loaded`, { exact: true }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);
  });

  step("limits Event history to a time range", async () => {
    assert.equal((await search("Event name", "CreateHttpNamespace", "Last 30 minutes")).length, 1);
    await page.getByLabel("Time range").selectOption({ label: "Custom range" });
    await page.getByLabel("From (UTC)").fill("2020-01-01T00:00:00");
    await page.getByLabel("To (UTC)").fill("2020-01-02T00:00:00");
    await lookup(() => page.getByRole("button", { name: "Search" }).click());
    assert.deepEqual(await eventRows(), []);
    await page.getByLabel("From (UTC)").fill("2020-01-03T00:00:00");
    await page.getByRole("button", { name: "Search" }).click();
    assert.match(await page.getByRole("alert").innerText(), /From must be earlier than To/);
    assert.equal((await search("Event name", "CreateHttpNamespace")).length, 1);
    assert.equal(await page.getByRole("alert").count(), 0, "the error goes once a search succeeds");
  });

  step("creates a public DNS namespace, and a DNS service with custom health whose instance can be marked unhealthy", async () => {
    await page.getByRole("link", { name: "Cloud Map" }).click();
    await page.getByRole("button", { name: "Create namespace" }).click();
    await dialog().getByLabel("Namespace name").fill(`${namespaceName}.example.com`);
    await dialog().getByLabel("API calls and public DNS queries").check();
    await dialog().getByRole("button", { name: "Create namespace" }).click();
    await dialog().waitFor({ state: "detached" });
    const publicRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: `${namespaceName}.example.com` }) });
    assert.match(await publicRow.innerText(), /API calls and public DNS queries/);

    await page.getByRole("link", { name: `${namespaceName}.internal`, exact: true }).click();
    await page.getByRole("button", { name: "Create service" }).click();
    await dialog().getByLabel("Service name").fill("api");
    await dialog().getByLabel("DNS record type").selectOption("A");
    await dialog().getByLabel("TTL (seconds)").fill("30");
    await dialog().getByLabel("Custom health checks").check();
    await dialog().getByRole("button", { name: "Create service" }).click();
    await dialog().waitFor({ state: "detached" });
    const serviceRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: "api", exact: true }) });
    assert.match(await serviceRow.innerText(), /A \(TTL 30\)\s+Custom/);

    await page.getByRole("link", { name: "api", exact: true }).click();
    await page.getByRole("button", { name: "Register instance" }).click();
    await dialog().getByLabel("Instance ID").fill("i-dns-1");
    await dialog().getByLabel("Attribute 1 value").fill("10.0.0.9");
    await dialog().getByRole("button", { name: "Remove attribute 2" }).click();
    await dialog().getByRole("button", { name: "Register instance" }).click();
    await dialog().waitFor({ state: "detached" });
    const row = page.getByRole("row").filter({ hasText: "i-dns-1" });
    assert.equal(await row.locator(".badge").innerText(), "HEALTHY", "custom health starts healthy");
    await row.getByRole("button", { name: "Mark unhealthy" }).click();
    await row.getByText("UNHEALTHY", { exact: true }).waitFor();
    const serviceId = new URL(page.url()).hash.split("/").pop()!;
    const { Status } = await sd.send(new GetInstancesHealthStatusCommand({ ServiceId: serviceId }));
    assert.deepEqual(Status, { "i-dns-1": "UNHEALTHY" });
  });

  step("switches region among exactly the served regions", async () => {
    assert.deepEqual(await regionOptions(page.getByLabel("Region")), await servedRegions());
    await page.getByLabel("Region").selectOption("on-prem-1");
    await page.getByText("No namespaces in on-prem-1 yet.").waitFor();
    await page.getByLabel("Region").selectOption("us-west-2");
    await page.getByRole("link", { name: "Cloud Map" }).click();
    await page.getByText("No namespaces in us-west-2 yet.").waitFor();
    await page.getByLabel("Region").selectOption("us-east-1");
    await page.getByRole("link", { name: namespaceName, exact: true }).waitFor();
  });

  step("refuses to delete a namespace that still has a service, then deregisters and deletes everything", async () => {
    await page.getByRole("button", { name: `Delete namespace ${namespaceName}`, exact: true }).click();
    browser.allowApiError();
    await dialog().getByRole("button", { name: "Delete" }).click();
    assert.match(await dialog().getByRole("alert").innerText(), /ResourceInUse/);
    await dialog().getByRole("button", { name: "Cancel" }).click();
    await dialog().waitFor({ state: "detached" });

    await page.getByRole("link", { name: namespaceName, exact: true }).click();
    await page.getByRole("link", { name: "web", exact: true }).click();
    await page.getByRole("button", { name: `Deregister instance ${instanceId}` }).click();
    await dialog().getByRole("button", { name: "Deregister" }).click();
    await page.getByText("No instances registered.").waitFor();

    await page.getByRole("link", { name: namespaceName, exact: true }).click();
    await page.getByRole("button", { name: "Delete service web" }).click();
    await dialog().getByRole("button", { name: "Delete" }).click();
    await page.getByText("No services in this namespace yet.").waitFor();

    await page.getByRole("link", { name: "Namespaces" }).click();
    await page.getByRole("button", { name: `Delete namespace ${namespaceName}`, exact: true }).click();
    await dialog().getByRole("button", { name: "Delete" }).click();
    await dialog().waitFor({ state: "detached" });
    await page.getByRole("link", { name: namespaceName, exact: true }).waitFor({ state: "detached" });
    const left = await sd.send(new ListNamespacesCommand({}));
    assert.deepEqual(left.Namespaces!.map((ns) => ns.Name).sort(), [`${namespaceName}.example.com`, `${namespaceName}.internal`]);
  });

  step("shows the failed call and the deletions in Event history, with the failure's error code", async () => {
    await lookup(() => page.getByRole("link", { name: "Event history" }).click());
    const rows = await eventRows();
    const deletes = rows.filter((r) => r.name === "DeleteNamespace");
    assert.deepEqual(
      deletes.map((r) => r.errorCode),
      ["", "ResourceInUse"],
      "newest first: the delete that worked, then the one refused while the namespace had a service",
    );
    for (const name of ["DeleteService", "DeregisterInstance"]) assert.ok(rows.some((r) => r.name === name && r.errorCode === ""), name);
    await browser.checkpoint("event-history-writes");
  });

  step("signs out and forgets the key", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await heading("Sign in to Cairn").waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    await heading("Sign in to Cairn").waitFor();
  });
});
