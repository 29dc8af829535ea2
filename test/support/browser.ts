import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's Chromium, which .ci/run installs; CAIRN_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env["CAIRN_CHROMIUM"] ?? "/usr/bin/chromium";

/** Why the browser tests cannot run here, or false when they can. */
export const browserMissing: string | false = fs.existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CAIRN_CHROMIUM to run the console tests`;

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/test/support → the worktree's .test-artifacts/ */
export const ARTIFACTS_DIR = path.resolve(here, "../../../.test-artifacts");

/** Chromium's own report of a failed HTTP response (an AWS error answer, a 5xx) or of a request that got no answer. */
const HTTP_ERROR_LOG = /^Failed to load resource: (the server responded with a status of [45]\d\d|net::ERR_FAILED)/;

export interface ConsoleBrowser {
  page: Page;
  /** Console errors and uncaught exceptions the page produced since the last call that nobody expected. */
  takeUnexpectedErrors(): string[];
  /**
   * The page is about to get an error answer (or none) on purpose: Chromium may log its HTTP status, up to `times`
   * times (the SDK retries some failures). Allowances end with the test step (takeUnexpectedErrors).
   */
  allowApiError(times?: number): void;
  /**
   * Remembers a screenshot of the current page under `name`, to be saved if the test fails; with
   * CAIRN_CONSOLE_SCREENSHOTS=<dir> also writes what the window shows to <dir>/<name>.png (how docs/ gets its images).
   */
  checkpoint(name: string): Promise<void>;
  /** Writes every remembered screenshot and one of the page as it is now into .test-artifacts/. */
  saveArtifacts(label: string): Promise<string[]>;
  close(): Promise<void>;
}

/** A fresh headless Chromium with an empty profile, one page, and watchers for console errors. */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cairn-chromium-"));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1680, height: 940 },
    // Not UTC, so a time read in the wrong zone shows.
    timezoneId: "Asia/Kolkata",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  let allowedHttpErrors = 0;
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (allowedHttpErrors > 0 && HTTP_ERROR_LOG.test(message.text())) {
      allowedHttpErrors--;
      return;
    }
    errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
  const screenshots = new Map<string, Buffer>();
  return {
    page,
    takeUnexpectedErrors() {
      allowedHttpErrors = 0;
      return errors.splice(0);
    },
    allowApiError(times = 1) {
      allowedHttpErrors += times;
    },
    async checkpoint(name) {
      screenshots.set(name, await page.screenshot({ fullPage: true }));
      const dir = process.env["CAIRN_CONSOLE_SCREENSHOTS"];
      if (dir) {
        fs.mkdirSync(dir, { recursive: true });
        await page.screenshot({ path: path.join(dir, `${name}.png`) });
      }
    },
    async saveArtifacts(label) {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const slug = label.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
      const written: string[] = [];
      for (const [name, png] of screenshots) {
        const file = path.join(ARTIFACTS_DIR, `console-${slug}-${name}.png`);
        fs.writeFileSync(file, png);
        written.push(file);
      }
      try {
        const file = path.join(ARTIFACTS_DIR, `console-${slug}-at-failure.png`);
        await page.screenshot({ path: file, fullPage: true });
        written.push(file);
      } catch {
        // The page may be gone (browser crashed); the earlier screenshots are still worth having.
      }
      return written;
    },
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
