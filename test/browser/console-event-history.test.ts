import { before, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { CreateHttpNamespaceCommand, DeleteNamespaceCommand, GetNamespaceCommand } from "@aws-sdk/client-servicediscovery";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { browserMissing } from "../support/browser.js";
import { consoleFixture, holdAnswers, operationOf, readEventTable, showColumns } from "../support/console.js";

declare const localStorage: { getItem(key: string): string | null };
declare const navigator: { clipboard: { readText(): Promise<string> } };

describe("web console: Event history", { skip: browserMissing }, () => {
  const c = consoleFixture();
  const namespaceName = uniqueName("a-rather-long-namespace-name-for-the-table");
  let namespaceId: string;
  let reads: number;

  before(async () => {
    const sd = cloudMap(c.cairn);
    namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: namespaceName, Description: "x".repeat(200) }));
    await sd.send(new DeleteNamespaceCommand({ Id: "ns-doesnotexist0000" })).catch(() => undefined);
    for (let i = 0; i < 23; i++) await sd.send(new GetNamespaceCommand({ Id: namespaceId }));
    reads = (await lookupAll(cloudTrail(c.cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "GetNamespace" }] })).length;
  });

  const open = async (hash = "#/events"): Promise<void> => {
    await c.page.goto(`${c.cairn.url}/console/${hash}`);
    await c.heading("Event history").waitFor();
    await c.page.locator(".loading").waitFor({ state: "detached" });
  };
  const search = async (attribute: string, value: string): Promise<void> => {
    await c.page.getByLabel("Lookup attribute").selectOption({ label: attribute });
    await c.page.getByLabel("Value", { exact: true }).fill(value);
    const answered = c.page.waitForResponse((r) => operationOf(r.request()) === "LookupEvents" && (r.request().postData() ?? "").includes(value));
    await c.page.getByRole("button", { name: "Search" }).click();
    await answered;
    await c.page.locator(".loading").waitFor({ state: "detached" });
  };
  /** Waits until the form field with this id shows `value` (the form follows the URL). */
  const fieldShows = (id: string, value: string) =>
    c.page.waitForFunction(([i, v]) => (globalThis as unknown as { document: { getElementById(id: string): { value: string } } }).document.getElementById(i!).value === v, [id, value]);
  const hashParams = (): URLSearchParams => new URLSearchParams(new URL(c.page.url()).hash.split("?")[1] ?? "");

  c.step("the default columns fit 1366 px, Error code included", async () => {
    const { page } = c;
    await page.setViewportSize({ width: 1366, height: 768 });
    await open();
    const titles = await page.locator("table.events thead th").allInnerTexts();
    assert.deepEqual(titles, ["Compare", "Event time", "User name", "Event name", "Resource type", "Resource name", "Event source", "Error code"]);
    const fit = await page.locator(".table-wrap").evaluate((e) => {
      const el = e as unknown as { scrollWidth: number; clientWidth: number };
      return { scroll: el.scrollWidth, client: el.clientWidth };
    });
    assert.ok(fit.scroll <= fit.client, `the table is ${fit.scroll} px in ${fit.client} px`);
    const failed = (await readEventTable(page)).find((row) => row["Event name"] === "DeleteNamespace");
    assert.equal(failed?.["Error code"], "NamespaceNotFound");
    await c.browser.checkpoint("event-history-1366");
  });

  c.step("column preferences and page size persist across reloads", async () => {
    const { page } = c;
    await showColumns(page, ["User name"], false);
    await showColumns(page, ["Event ID"]);
    await page.getByRole("button", { name: "Preferences" }).click();
    await c.dialog().getByLabel("Page size").selectOption("10");
    await c.browser.checkpoint("event-history-preferences");
    await c.dialog().getByRole("button", { name: "Confirm" }).click();
    await page.reload();
    await c.heading("Event history").waitFor();
    await search("Event name", "GetNamespace");
    const titles = await page.locator("table.events thead th").allInnerTexts();
    assert.ok(!titles.includes("User name") && titles.includes("Event ID") && titles.includes("Error code"), titles.join());
    assert.equal((await readEventTable(page)).length, 10, "pages of 10");
    const saved = JSON.parse((await page.evaluate(() => localStorage.getItem("cairn.console.eventHistory.preferences")))!) as { pageSize: number };
    assert.equal(saved.pageSize, 10);
  });

  c.step("filters and time range live in the URL; back and forward return to them", async () => {
    const { page } = c;
    assert.equal(hashParams().get("attr"), "EventName");
    assert.equal(hashParams().get("value"), "GetNamespace");
    await page.getByLabel("Time range").selectOption({ label: "Last 7 days" });
    const sent = page.waitForRequest((request) => operationOf(request) === "LookupEvents");
    await search("Event source", "cloudtrail.amazonaws.com");
    const body = JSON.parse((await sent).postData()!) as { StartTime: number; EndTime: number };
    assert.ok(Math.abs(body.EndTime - body.StartTime - 7 * 86400) < 2, "Last 7 days is 7 days");
    assert.equal(hashParams().get("range"), "7d");
    const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } | null } }).document.activeElement?.textContent);
    assert.equal(focused, "Search", "a search keeps focus on the form; only a new page moves it");
    await page.goBack();
    await page.getByRole("button", { name: "GetNamespace" }).first().waitFor();
    await fieldShows("lookup-value", "GetNamespace");
    assert.equal(await page.getByLabel("Lookup attribute").inputValue(), "EventName");
    assert.equal(await page.getByLabel("Value", { exact: true }).inputValue(), "GetNamespace");
    assert.equal(await page.getByLabel("Time range").inputValue(), "any");
    await page.goForward();
    await fieldShows("lookup-value", "cloudtrail.amazonaws.com");
    assert.equal(await page.getByLabel("Time range").inputValue(), "7d");
    const options = await page.getByLabel("Time range").locator("option").allInnerTexts();
    for (const label of ["Last 30 minutes", "Last hour", "Last 3 hours", "Last 12 hours", "Last day", "Last 3 days", "Last 7 days", "Custom range"]) {
      assert.ok(options.includes(label), label);
    }
  });

  c.step("suggests values for Event source, Event name and Resource type", async () => {
    const { page } = c;
    await open(`#/events?attr=EventName&value=GetNamespace&range=any`);
    const options = (): Promise<string[]> => page.locator("#lookup-suggestions option").evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    assert.ok((await options()).includes("GetNamespace"));
    await page.getByLabel("Lookup attribute").selectOption({ label: "Event source" });
    assert.ok((await options()).includes("servicediscovery.amazonaws.com"));
    await page.getByLabel("Lookup attribute").selectOption({ label: "Resource type" });
    assert.ok((await options()).includes("AWS::ServiceDiscovery::HttpNamespace"));
  });

  c.step("Download saves every matching event, not only the rows loaded, and can be cancelled", async () => {
    const { page } = c;
    await open(`#/events?attr=EventName&value=GetNamespace&range=any`);
    assert.equal((await readEventTable(page)).length, 10);

    const slow = await holdAnswers(page, "LookupEvents", "us-east-1");
    await page.getByRole("button", { name: "Download", exact: true }).click();
    await c.dialog().getByRole("button", { name: "Download", exact: true }).click();
    await c.dialog().getByRole("status").filter({ hasText: "0 events fetched" }).waitFor();
    await c.dialog().getByRole("button", { name: "Cancel download" }).click();
    await slow.release();
    await c.dialog().getByRole("button", { name: "Download", exact: true }).waitFor();
    assert.equal(await c.dialog().getByRole("button", { name: "Download", exact: true }).isEnabled(), true);

    const [download] = await Promise.all([page.waitForEvent("download"), c.dialog().getByRole("button", { name: "Download", exact: true }).click()]);
    const lines = fs.readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
    assert.equal(lines.length - 1, reads, `all ${reads} GetNamespace events, though 10 are loaded`);
    assert.ok(lines.slice(1).every((line) => line.includes('"GetNamespace"')));
  });

  c.step("the event detail copies the record and links its Cloud Map resources", async () => {
    const { page } = c;
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: c.cairn.url });
    await page.getByRole("button", { name: "GetNamespace" }).first().click();
    await c.dialog().getByRole("button", { name: "Copy" }).click();
    await c.dialog().getByRole("status").filter({ hasText: "Copied" }).waitFor();
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { eventName: string };
    assert.equal(copied.eventName, "GetNamespace");
    await c.browser.checkpoint("event-detail-copy");
    await c.dialog().getByRole("link", { name: namespaceId }).click();
    await c.heading(namespaceName).waitFor();
    await page.setViewportSize({ width: 1680, height: 940 });
  });

  c.step("compares two events side by side, marking the fields that differ", async () => {
    const { page } = c;
    await open(`#/events?attr=EventName&value=GetNamespace&range=any`);
    const compare = page.getByRole("button", { name: "Compare", exact: true });
    assert.equal(await compare.isDisabled(), true, "nothing chosen yet");
    const boxes = page.getByRole("checkbox", { name: /^Choose GetNamespace/ });
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await compare.click();
    const table = c.dialog().getByRole("table");
    const row = (field: string) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${field.replace(".", "\\.")}( \\(differs\\))?$`) }) });
    assert.match(await row("eventID").getByRole("rowheader").innerText(), /eventID/);
    assert.equal(await row("eventID").getAttribute("class"), "differs");
    assert.equal(await row("eventName").getAttribute("class"), null);
    assert.match(await row("eventName").innerText(), /GetNamespace\s+GetNamespace/);
    assert.match(await row("requestParameters.id").innerText(), new RegExp(namespaceId));
    await c.browser.checkpoint("event-compare");
    await page.keyboard.press("Escape");
  });
});
