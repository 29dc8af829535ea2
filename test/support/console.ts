import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { Locator, Page, Request, Route } from "playwright-core";
import { startCairn, type CairnProcess } from "./cairn-process.js";
import { launchConsoleBrowser, type ConsoleBrowser } from "./browser.js";

/** A Cairn and a Chromium signed in to its console, shared by one test file's steps. */
export interface ConsoleFixture {
  readonly cairn: CairnProcess;
  readonly browser: ConsoleBrowser;
  readonly page: Page;
  /** A test that fails on console errors and saves screenshots into .test-artifacts/ when it fails. */
  step(name: string, body: () => Promise<void>): void;
  heading(name: string): Locator;
  dialog(): Locator;
}

/** Starts Cairn and the browser before the file's tests (signed in as root in us-east-1 unless `signIn` is false). */
export function consoleFixture(options: { signIn?: boolean; args?: string[] } = {}): ConsoleFixture {
  let cairn: CairnProcess | undefined;
  let browser: ConsoleBrowser | undefined;
  before(async () => {
    cairn = await startCairn({ args: options.args ?? [] });
    browser = await launchConsoleBrowser();
    if (options.signIn === false) return;
    const page = browser.page;
    await page.goto(`${cairn.url}/console/`);
    await page.getByLabel("Access key ID").fill(cairn.credentials.accessKeyId);
    await page.getByLabel("Secret access key").fill(cairn.credentials.secretAccessKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1 }).first().waitFor();
  });
  after(async () => {
    await browser?.close();
    await cairn?.stop();
  });
  const fixture: ConsoleFixture = {
    get cairn() {
      return cairn!;
    },
    get browser() {
      return browser!;
    },
    get page() {
      return browser!.page;
    },
    step(name, body) {
      test(name, async () => {
        try {
          await body();
          assert.deepEqual(browser!.takeUnexpectedErrors(), [], "the page logged console errors");
        } catch (error) {
          const files = await browser!.saveArtifacts(name);
          if (error instanceof Error) error.message += `\nscreenshots: ${files.join(", ")}`;
          throw error;
        }
      });
    },
    heading: (name) => browser!.page.getByRole("heading", { level: 1, name, exact: true }),
    dialog: () => browser!.page.getByRole("dialog"),
  };
  return fixture;
}

/** The API operation a console request calls (`LookupEvents`), from its X-Amz-Target header; "" for other requests. */
export function operationOf(request: Request): string {
  return (request.headers()["x-amz-target"] ?? "").split(".").pop() ?? "";
}

/** The region a signed request was signed for, from its credential scope. */
export function regionOf(request: Request): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers()["authorization"] ?? "")?.[1] ?? "";
}

/**
 * Holds back the answers to `operation` calls in `region` until release() (a slow network); arrived() resolves
 * once one is held. Requests the page aborts meanwhile are dropped.
 */
export async function holdAnswers(page: Page, operation: string, region: string): Promise<{ arrived: () => Promise<void>; release: () => Promise<void> }> {
  const waiting: Route[] = [];
  let first: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (first = resolve));
  const handler = async (route: Route): Promise<void> => {
    const request = route.request();
    if (operationOf(request) !== operation || regionOf(request) !== region) return route.fallback();
    waiting.push(route);
    first();
  };
  await page.route("**/*", handler);
  return {
    arrived: () => arrived,
    async release() {
      await page.unroute("**/*", handler);
      for (const route of waiting.splice(0)) await route.continue().catch(() => undefined);
    },
  };
}

/** Answers `operation` calls with an AWS error of `code` instead of sending them, until the returned function runs. */
export async function failCalls(page: Page, operation: string, code: string, message: string): Promise<() => Promise<void>> {
  const handler = async (route: Route): Promise<void> => {
    if (operationOf(route.request()) !== operation) return route.fallback();
    await route.fulfill({
      status: 400,
      headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "00000000-0000-4000-8000-000000000000", "access-control-expose-headers": "x-amzn-requestid" },
      body: JSON.stringify({ __type: code, message }),
    });
  };
  await page.route("**/*", handler);
  return () => page.unroute("**/*", handler);
}

/** Event history's rows, each as { column title: cell text }. */
export async function readEventTable(page: Page): Promise<Array<Record<string, string>>> {
  const titles = await page.locator("table.events thead th").allInnerTexts();
  const rows = await page
    .locator("table.events tbody tr")
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => (cell as unknown as { innerText: string }).innerText.trim())));
  return rows.map((cells) => Object.fromEntries(titles.map((title, i) => [title.trim(), cells[i] ?? ""])));
}

/** Turns Event history columns on (or off) in Preferences. */
export async function showColumns(page: Page, titles: string[], on = true): Promise<void> {
  await page.getByRole("button", { name: "Preferences" }).click();
  const dialog = page.getByRole("dialog");
  for (const title of titles) await dialog.getByLabel(title, { exact: true }).setChecked(on);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await dialog.waitFor({ state: "detached" });
}

/** Waits until nothing on the page is loading any more. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(".loading") === null);
}

/** Clicks Event history's Search and waits until the answer to the lookup it sends is on screen. */
export async function searchEvents(page: Page): Promise<void> {
  const answered = page.waitForResponse((response) => operationOf(response.request()) === "LookupEvents");
  await page.getByRole("button", { name: "Search" }).click();
  await answered;
  await settled(page);
}
