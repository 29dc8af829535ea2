import { before, describe } from "node:test";
import assert from "node:assert/strict";
import { CreateHttpNamespaceCommand, CreateServiceCommand } from "@aws-sdk/client-servicediscovery";
import { cloudMap } from "../support/clients.js";
import { createdNamespaceId, uniqueName } from "../support/cloudmap.js";
import { cloudTrail, lookupAll } from "../support/cloudtrail.js";
import { browserMissing } from "../support/browser.js";
import { consoleFixture, failCalls, holdAnswers, operationOf, searchEvents, settled } from "../support/console.js";

// What the tests read inside the page (the project's TypeScript settings carry no DOM types).
declare const sessionStorage: { readonly length: number };
declare const document: {
  readonly documentElement: { readonly scrollWidth: number };
  querySelectorAll(selector: string): ArrayLike<{ getBoundingClientRect(): { right: number }; readonly firstChild: unknown }>;
  createRange(): { selectNodeContents(node: unknown): void; getClientRects(): { readonly length: number } };
};

/** How the table and the range inputs write an instant: `2026-03-04 05:06:07`, in UTC or in the browser's zone (+05:30). */
function shown(date: Date, zone: "utc" | "local"): string {
  const shifted = zone === "utc" ? date : new Date(date.getTime() + 330 * 60_000);
  return shifted.toISOString().slice(0, 19).replace("T", " ");
}

describe("web console: the correctness bugs of issue 17", { skip: browserMissing }, () => {
  const c = consoleFixture({ signIn: false });
  const namespaceName = uniqueName("east");
  let namespaceId: string;
  let serviceId: string;

  before(async () => {
    const sd = cloudMap(c.cairn);
    namespaceId = await createdNamespaceId(sd, new CreateHttpNamespaceCommand({ Name: namespaceName }));
    serviceId = (await sd.send(new CreateServiceCommand({ Name: "web", NamespaceId: namespaceId }))).Service!.Id!;
  });

  const namespaceLink = () => c.page.getByRole("link", { name: namespaceName, exact: true });
  const rowsShown = () => c.page.locator("table.events tbody tr").count();

  c.step("(f) sign-in refuses when Cairn cannot be reached or does not answer as Cairn", async () => {
    const { page, cairn } = c;
    await page.goto(`${cairn.url}/console/`);
    await page.getByLabel("Access key ID").fill(cairn.credentials.accessKeyId);
    await page.getByLabel("Secret access key").fill(cairn.credentials.secretAccessKey);
    const unreachable = (route: import("playwright-core").Route) => (route.request().method() === "POST" ? route.abort("failed") : route.fallback());
    await page.route("**/*", unreachable);
    c.browser.allowApiError(3);
    await page.getByRole("button", { name: "Sign in" }).click();
    assert.match(await page.getByRole("alert").innerText(), /Sign-in failed\.\s+Cairn could not be reached/);
    await page.unroute("**/*", unreachable);

    const proxyError = (route: import("playwright-core").Route) =>
      route.request().method() === "POST" ? route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" }) : route.fallback();
    await page.route("**/*", proxyError);
    c.browser.allowApiError(3);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.getByRole("alert").waitFor();
    await page.unroute("**/*", proxyError);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, "nothing was kept");
    await c.heading("Sign in to Cairn").waitFor();

    await page.getByRole("button", { name: "Sign in" }).click();
    await c.heading("Dashboard").waitFor();
    await page.getByRole("link", { name: "Cloud Map" }).click();
    await c.heading("Namespaces").waitFor();
    await namespaceLink().waitFor();
  });

  c.step("(b) the namespaces list drops the old region's rows while the new region loads, and on a failed load", async () => {
    const { page } = c;
    const slow = await holdAnswers(page, "ListNamespaces", "us-west-2");
    await page.getByLabel("Region").selectOption("us-west-2");
    await page.getByRole("status").filter({ hasText: "Loading namespaces" }).waitFor();
    await slow.arrived();
    assert.equal(await namespaceLink().count(), 0, "no us-east-1 rows under us-west-2");
    await slow.release();
    await page.getByText("No namespaces in us-west-2 yet.").waitFor();

    const restore = await failCalls(page, "ListNamespaces", "AccessDeniedException", "Not allowed");
    c.browser.allowApiError();
    await page.getByLabel("Region").selectOption("us-east-1");
    await page.getByRole("alert").filter({ hasText: "AccessDeniedException" }).waitFor();
    await restore();
    await page.getByRole("button", { name: "Refresh" }).click();
    await namespaceLink().waitFor();
    c.browser.allowApiError();
    await failCalls(page, "ListNamespaces", "AccessDeniedException", "Not allowed").then(async (undo) => {
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.getByRole("alert").filter({ hasText: "AccessDeniedException" }).waitFor();
      assert.equal(await namespaceLink().count(), 0, "a failed reload clears the rows it was replacing");
      await undo();
    });
  });

  c.step("(a) a region switch during a slow Event history lookup never shows the old region's events", async () => {
    const { page } = c;
    const slow = await holdAnswers(page, "LookupEvents", "us-east-1");
    await page.getByRole("link", { name: "Event history" }).click();
    await c.heading("Event history").waitFor();
    await page.getByRole("status").filter({ hasText: "Looking up events" }).waitFor();
    await slow.arrived();
    await page.getByLabel("Region").selectOption("us-west-2");
    await page.getByText("No events match.").waitFor();
    await slow.release();
    await page.waitForTimeout(300);
    assert.equal(await rowsShown(), 0, "the late us-east-1 answer is discarded");
    await page.getByText("Management events recorded in us-west-2", { exact: false }).waitFor();
    await page.getByLabel("Region").selectOption("us-east-1");
    await page.getByRole("button", { name: "CreateHttpNamespace" }).waitFor();
  });

  c.step("(c) From after To is refused before sending; a failed search clears the rows and Download", async () => {
    const { page } = c;
    await page.getByLabel("Lookup attribute").selectOption({ label: "Event name" });
    await page.getByLabel("Value", { exact: true }).fill("CreateHttpNamespace");
    await searchEvents(page);
    assert.equal(await rowsShown(), 1);

    let sent = 0;
    const count = (request: import("playwright-core").Request): void => void (operationOf(request) === "LookupEvents" && sent++);
    page.on("request", count);
    await page.getByLabel("Time range").selectOption({ label: "Custom range" });
    await page.getByLabel("From (UTC)").fill("2020-01-03T00:00:00");
    await page.getByLabel("To (UTC)").fill("2020-01-02T00:00:00");
    await page.getByRole("button", { name: "Search" }).click();
    assert.match(await page.getByRole("alert").innerText(), /From must be earlier than To/);
    assert.equal(await rowsShown(), 0, "the old rows are gone");
    assert.equal(await page.getByRole("button", { name: /^Download/ }).first().isDisabled(), true);
    page.off("request", count);
    assert.equal(sent, 0, "nothing was sent");

    await page.getByLabel("Time range").selectOption({ label: "Any time (90 days)" });
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("button", { name: "CreateHttpNamespace" }).waitFor();
    const restore = await failCalls(page, "LookupEvents", "InvalidLookupAttributesException", "The attribute is not valid.");
    c.browser.allowApiError();
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("alert").filter({ hasText: "InvalidLookupAttributesException" }).waitFor();
    assert.equal(await rowsShown(), 0);
    assert.equal(await page.getByRole("button", { name: /^Download/ }).first().isDisabled(), true);
    await restore();
  });

  c.step("(d) a custom range and the table use the one time zone setting", async () => {
    const { page } = c;
    const [event] = await lookupAll(cloudTrail(c.cairn), { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateHttpNamespace" }] });
    const time = event!.EventTime!;
    const before = new Date(time.getTime() - 60_000);
    const after = new Date(time.getTime() + 60_000);
    for (const zone of ["utc", "local"] as const) {
      await page.getByLabel("Time zone").selectOption(zone);
      await page.getByLabel("Time range").selectOption({ label: "Custom range" });
      await page.getByLabel(zone === "utc" ? "From (UTC)" : "From (local time)").fill(shown(before, zone).replace(" ", "T"));
      await page.getByLabel(zone === "utc" ? "To (UTC)" : "To (local time)").fill(shown(after, zone).replace(" ", "T"));
      await searchEvents(page);
      const cell = await page.locator("table.events tbody tr td[data-column=eventTime]").first().innerText();
      assert.equal(cell, shown(time, zone), `the table shows the event's time in ${zone}`);
      const params = new URLSearchParams(new URL(page.url()).hash.split("?")[1]);
      assert.equal(params.get("start"), before.toISOString().replace(/\.\d+Z$/, ".000Z"), "the URL keeps the instant");
    }
    await page.getByLabel("Time zone").selectOption("utc");
    assert.equal(await page.getByLabel("From (UTC)").inputValue(), shown(before, "utc").replace(" ", "T"), "the range is shown again in UTC");
  });

  c.step("(e) the service page's breadcrumb names the namespace", async () => {
    const { page } = c;
    await page.goto(`${c.cairn.url}/console/#/namespaces/${namespaceId}/services/${serviceId}`);
    await c.heading("web").waitFor();
    const crumbs = page.getByRole("navigation", { name: "Breadcrumbs" });
    await crumbs.getByRole("link", { name: namespaceName, exact: true }).waitFor();
    assert.doesNotMatch(await crumbs.innerText(), new RegExp(namespaceId));
  });

  c.step("(g) at 390 px nothing overflows the page and ids do not break", async () => {
    const { page } = c;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [hash, title] of [[`#/namespaces/${namespaceId}/services/${serviceId}`, "web"], ["#/namespaces", "Namespaces"], ["#/events", "Event history"], ["#/", "Dashboard"], ["#/trails", "Trails"]] as const) {
        await page.goto(`${c.cairn.url}/console/${hash}`);
        await c.heading(title).waitFor();
        await settled(page);
        const layout = await page.evaluate(() => ({
          width: document.documentElement.scrollWidth,
          wide: Array.from(document.querySelectorAll("body *"), (e) => [(e as unknown as { tagName: string; className: string }).tagName + "." + (e as unknown as { className: string }).className, e.getBoundingClientRect().right] as const)
            .filter(([, right]) => right > 390)
            .slice(0, 5)
            .join(" "),
          topbar: Array.from(document.querySelectorAll(".topbar *"), (e) => e.getBoundingClientRect().right),
          idLines: Array.from(document.querySelectorAll("td.mono, .id"), (e) => {
            const range = document.createRange();
            range.selectNodeContents(e.firstChild);
            return range.getClientRects().length;
          }),
        }));
        assert.ok(layout.width <= 390, `${title}: the page is ${layout.width} px wide: ${layout.wide}`);
        assert.ok(Math.max(...layout.topbar) <= 390, `${title}: the top bar overflows`);
        assert.ok(layout.idLines.every((n) => n <= 1), `${title}: an id broke over lines: ${layout.idLines}`);
        await c.browser.checkpoint(`phone-${title.toLowerCase().replace(/ /g, "-")}`);
      }
    } finally {
      await page.setViewportSize({ width: 1680, height: 940 });
    }
  });
});
