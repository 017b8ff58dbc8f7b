import * as fs from "fs";
import * as path from "path";
import { chromium, type Browser, type Page } from "playwright-core";
import { eventually } from "../../../harness/shell";
import { repoRoot } from "../../../harness/stack";

/** Where the screenshots go: a test artifact per page and step (not committed). */
export const screenshotDir = path.join(repoRoot, "test-artifacts", "browser");

/** Debian's Chromium (bootstrap/browser/install.sh), headless, without the background traffic our closed network refuses. */
function launchSystemChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Runs `visit` on a new page of Debian's Chromium (1280×900) and closes the browser. When `visit` fails, its error
 * also says where the page was (URL and title) and names the screenshot taken then: CI shows the failure's message,
 * not the test's files.
 */
export async function inChromium<T>(name: string, visit: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchSystemChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      return await visit(page);
    } catch (e) {
      const shot = await screenshot(page, `${name}-failed`).catch(() => "none (the page is gone)");
      const title = await page.title().catch(() => "?");
      const error = e instanceof Error ? e : new Error(String(e));
      // A token in the URL (JupyterLab's login) stays out of the message.
      const url = page.url().replace(/([?&]token=)[^&#]*/g, "$1[hidden]");
      error.message += `\n(the page was ${url}, titled ${JSON.stringify(title)}; screenshot ${shot})`;
      throw error;
    }
  } finally {
    await browser.close();
  }
}

/** Opens a page and says how long it took to its load event, in ms (navigation timing of the browser). */
export async function timedVisit(page: Page, url: string): Promise<number> {
  const response = await page.goto(url, { waitUntil: "load" });
  if (response === null || response.status() !== 200) throw new Error(`${url} answered ${response?.status() ?? "nothing"}`);
  // Evaluated in the page (the test's TypeScript has no DOM types): the navigation's start to its load event.
  const ms = await page.evaluate(
    `(() => { const [n] = performance.getEntriesByType("navigation"); return Math.round(n.loadEventEnd - n.startTime); })()`,
  );
  return Number(ms);
}

/** A page's screenshot under `screenshotDir`; returns the file name. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = `${name}.png`;
  await page.screenshot({ path: path.join(screenshotDir, file), fullPage: true });
  return file;
}

/** Whether an <img> was fetched and decoded by the browser (not a broken image). */
export async function imageRendered(page: Page, selector: string): Promise<boolean> {
  await page.locator(selector).waitFor();
  return (
    (await page.evaluate(
      `(() => { const i = document.querySelector(${JSON.stringify(selector)}); return i.complete && i.naturalWidth > 0; })()`,
    )) === true
  );
}

/** A count as the console prints it ("12,345"). */
export const shownNumber = (text: string | null): number => Number((text ?? "").replace(/[,\s]/g, ""));

/** The connector's and its tasks' states as its section of the Connect page shows them. */
export async function shownStates(page: Page, connector: string): Promise<string[]> {
  const section = page.locator("section.connector", { has: page.locator("h2", { hasText: connector }) });
  return section.locator("span.state").allTextContents();
}

/** Reloads the Connect page until the connector and every task show RUNNING. */
export const runningAgain = (page: Page, connector: string) =>
  eventually(`${connector} RUNNING on the Connect page`, 120_000, async () => {
    await page.reload({ waitUntil: "load" });
    const states = await shownStates(page, connector);
    return states.length >= 2 && states.every((s) => s === "RUNNING") ? states : undefined;
  });
