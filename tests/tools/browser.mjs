// Opens clausier's HTML report in Debian's chromium (playwright-core, no
// browser download), checks what an officer reads there, runs axe-core, and
// saves a screenshot. Prints one JSON line; exits 1 on any failed check.
//
//   node browser.mjs report REPORT.html SCREENSHOT.png DOSSIERS
//   node browser.mjs serve URL SCREENSHOT.png FILE...   (uploads FILEs through the page)
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [mode, target, screenshot, ...rest] = process.argv.slice(2);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "clausier-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
let result = {};
try {
  const page = await browser.newPage();
  // The report fetches nothing: any request but the page itself is a failure.
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  if (mode === "report") {
    await page.goto(pathToFileURL(path.resolve(target)).href);
  } else if (mode === "serve") {
    await page.goto(target);
    await page.setInputFiles("input[type=file]", rest);
    await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  await page.screenshot({ path: screenshot, fullPage: false });
  const rows = await page.locator("table.coverage tbody tr").count();
  const lang = await page.getAttribute("html", "lang");
  const missing = await page.locator("table.coverage td.missing").count();
  const basisLink = await page.locator("details.basis a[href^='https://']").count();
  const quotes = await page.locator("details.basis blockquote").count();
  // A legal basis opens with the keyboard, and its quote shows.
  await page.locator("details.basis summary").first().focus();
  await page.keyboard.press("Enter");
  const quoteVisible = await page.locator("details.basis blockquote").first().isVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  const external = requests.filter((u) => !u.startsWith("file:") && !u.startsWith(mode === "serve" ? new URL(target).origin : "file:") && !u.startsWith("data:"));
  result = { rows, lang, missing, basisLink, quotes, quoteVisible, serious, external };
  if (mode === "report") check(rows === Number(rest[0]), `${rows} coverage rows, expected ${rest[0]}`);
  else check(rows >= 1, "no coverage row after the upload");
  check(basisLink > 0 && quotes > 0, "no linked, quoted legal basis");
  check(quoteVisible, "the first legal basis does not open with the keyboard");
  check(serious.length === 0, `axe: ${serious.join("; ")}`);
  check(external.length === 0, `external requests: ${external.join(", ")}`);
} catch (e) {
  failures.push(String(e && e.stack || e));
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ ...result, failures }));
process.exit(failures.length ? 1 : 0);
