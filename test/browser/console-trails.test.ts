import { describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailCommand, GetTrailStatusCommand, ListTagsCommand } from "@aws-sdk/client-cloudtrail";
import { cloudTrail } from "../support/cloudtrail.js";
import { browserMissing } from "../support/browser.js";
import { consoleFixture } from "../support/console.js";

describe("web console: Trails", { skip: browserMissing }, () => {
  const c = consoleFixture({ args: ["--delivery-interval", "1"] });
  const bucket = (name: string): string => path.join(c.cairn.dataDir, "buckets", name);
  const row = (name: string) => c.page.getByRole("row").filter({ has: c.page.getByRole("link", { name, exact: true }) });
  const ct = () => cloudTrail(c.cairn);

  /** Refresh until the row's text matches (deliveries run every second). */
  async function refreshUntil(name: string, pattern: RegExp): Promise<string> {
    for (let i = 0; i < 40; i++) {
      const text = await row(name).innerText();
      if (pattern.test(text)) return text;
      await c.page.waitForTimeout(250);
      await c.page.getByRole("button", { name: "Refresh" }).click();
      await c.page.locator(".loading").waitFor({ state: "detached" });
    }
    assert.fail(`${name}: ${pattern} never showed`);
  }

  c.step("creates a trail that applies to all regions and starts logging, as AWS's console does", async () => {
    const { page } = c;
    fs.mkdirSync(bucket("audit-bucket"), { recursive: true });
    await page.getByRole("link", { name: "Trails" }).click();
    await c.heading("Trails").waitFor();
    await page.getByText("No trails in us-east-1 yet.").waitFor();
    await page.getByRole("button", { name: "Create trail" }).click();
    const d = c.dialog();
    await d.getByLabel("Trail name").fill("main");
    await d.getByLabel("S3 bucket").fill("audit-bucket");
    await d.getByLabel("Prefix").fill("ct");
    for (const label of ["Multi-region trail", "Include global service events", "Log file validation"]) {
      assert.equal(await d.getByLabel(label, { exact: false }).isChecked(), true, `${label} is on by default`);
    }
    await d.getByRole("button", { name: "Add tag" }).click();
    await d.getByLabel("Tag 1 key").fill("team");
    await d.getByLabel("Tag 1 value").fill("ops");
    await c.browser.checkpoint("create-trail");
    await d.getByRole("button", { name: "Create trail" }).click();
    await d.waitFor({ state: "detached" });
    const text = await row("main").innerText();
    assert.match(text, /main\s+us-east-1\s+Yes\s+On\s+audit-bucket\s+ct/);
    const { Trail } = await ct().send(new GetTrailCommand({ Name: "main" }));
    assert.deepEqual(
      [Trail!.IsMultiRegionTrail, Trail!.IncludeGlobalServiceEvents, Trail!.LogFileValidationEnabled, Trail!.S3KeyPrefix],
      [true, true, true, "ct"],
    );
    assert.equal((await ct().send(new GetTrailStatusCommand({ Name: "main" }))).IsLogging, true);
    const tags = await ct().send(new ListTagsCommand({ ResourceIdList: [Trail!.TrailARN!] }));
    assert.deepEqual(tags.ResourceTagList?.[0]?.TagsList, [{ Key: "team", Value: "ops" }]);
  });

  c.step("refuses a bucket that does not exist with AWS's error, in the dialog", async () => {
    const d = c.dialog();
    await c.page.getByRole("button", { name: "Create trail" }).click();
    await d.getByLabel("Trail name").fill("nowhere");
    await d.getByLabel("S3 bucket").fill("no-such-bucket");
    c.browser.allowApiError();
    await d.getByRole("button", { name: "Create trail" }).click();
    assert.match(await d.getByRole("alert").innerText(), /S3BucketDoesNotExistException/);
    await d.getByRole("button", { name: "Cancel" }).click();
    await d.waitFor({ state: "detached" });
  });

  c.step("lists the last delivery and the last delivery error from GetTrailStatus", async () => {
    const { page } = c;
    fs.mkdirSync(bucket("short-lived"), { recursive: true });
    await page.getByRole("button", { name: "Create trail" }).click();
    await c.dialog().getByLabel("Trail name").fill("broken");
    await c.dialog().getByLabel("S3 bucket").fill("short-lived");
    await c.dialog().getByRole("button", { name: "Create trail" }).click();
    await c.dialog().waitFor({ state: "detached" });
    await refreshUntil("main", /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    fs.rmSync(bucket("short-lived"), { recursive: true });
    const text = await refreshUntil("broken", /NoSuchBucket/);
    assert.match(text, /broken\s+us-east-1\s+Yes\s+On\s+short-lived/);
    await c.browser.checkpoint("trails");
  });

  c.step("shows a trail's details, status, selectors and tags", async () => {
    const { page } = c;
    await page.getByRole("link", { name: "main", exact: true }).click();
    await c.heading("main").waitFor();
    const general = await page.getByRole("region", { name: "General details" }).innerText();
    assert.match(general, /Trail ARN\s+arn:aws:cloudtrail:us-east-1:\d{12}:trail\/main/);
    assert.match(general, /Log file validation\s+Enabled/);
    const status = await page.getByRole("region", { name: "Status" }).innerText();
    assert.match(status, /Logging\s+On/);
    assert.match(status, /Last log file delivered\s+\d{4}-/);
    assert.match(await page.getByRole("region", { name: "Event selectors" }).innerText(), /Management events: Read and write/);
    assert.match(await page.getByRole("region", { name: "Tags" }).innerText(), /team\s+ops/);
    await c.browser.checkpoint("trail");
  });

  c.step("edits bucket settings, regions and management events", async () => {
    const { page } = c;
    await page.getByRole("button", { name: "Edit" }).click();
    const d = c.dialog();
    assert.equal(await d.getByLabel("Trail name").isDisabled(), true, "a trail's name is fixed");
    await d.getByLabel("Prefix").fill("ct2");
    await d.getByLabel("Multi-region trail", { exact: false }).uncheck();
    await d.getByLabel("Management events").selectOption({ label: "Write only" });
    await d.getByRole("button", { name: "Save changes" }).click();
    await d.waitFor({ state: "detached" });
    await page.getByText("Management events: Write only").waitFor();
    assert.match(await page.getByRole("region", { name: "General details" }).innerText(), /Multi-region trail\s+No[\s\S]*Prefix\s+ct2/);
    const { Trail } = await ct().send(new GetTrailCommand({ Name: "main" }));
    assert.deepEqual([Trail!.IsMultiRegionTrail, Trail!.S3KeyPrefix], [false, "ct2"]);
    const { EventSelectors } = await ct().send(new GetEventSelectorsCommand({ TrailName: "main" }));
    assert.equal(EventSelectors?.[0]?.ReadWriteType, "WriteOnly");
  });

  c.step("stops and starts logging", async () => {
    const { page } = c;
    await page.getByRole("button", { name: "Stop logging" }).click();
    await page.getByRole("button", { name: "Start logging" }).waitFor();
    assert.match(await page.getByRole("region", { name: "Status" }).innerText(), /Logging\s+Off/);
    assert.equal((await ct().send(new GetTrailStatusCommand({ Name: "main" }))).IsLogging, false);
    await page.getByRole("button", { name: "Start logging" }).click();
    await page.getByRole("button", { name: "Stop logging" }).waitFor();
    assert.equal((await ct().send(new GetTrailStatusCommand({ Name: "main" }))).IsLogging, true);
  });

  c.step("lists a multi-region trail in the other regions, with its home region", async () => {
    const { page } = c;
    await page.getByLabel("Region").selectOption("us-west-2");
    await c.heading("Trails").waitFor();
    const text = await row("broken").innerText();
    assert.match(text, /broken\s+us-east-1\s+Yes/);
    assert.equal(await row("main").count(), 0, "main is no longer multi-region");
    await page.getByLabel("Region").selectOption("us-east-1");
  });

  c.step("deletes a trail only after confirmation", async () => {
    const { page } = c;
    await row("main").waitFor();
    await page.getByRole("button", { name: "Delete trail main" }).click();
    await c.dialog().getByRole("button", { name: "Cancel" }).click();
    await c.dialog().waitFor({ state: "detached" });
    assert.equal(await row("main").count(), 1);
    await page.getByRole("button", { name: "Delete trail main" }).click();
    await c.dialog().getByRole("button", { name: "Delete" }).click();
    await c.dialog().waitFor({ state: "detached" });
    await row("main").waitFor({ state: "detached" });
    const { trailList } = await ct().send(new DescribeTrailsCommand({}));
    assert.deepEqual(trailList?.map((t) => t.Name), ["broken"]);
  });
});
