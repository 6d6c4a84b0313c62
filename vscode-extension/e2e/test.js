// Drives code-server with playwright-core in Debian's chromium.
const { chromium } = require("playwright-core");
const fs = require("node:fs");
const path = require("node:path");

const [port, workspace, shots] = process.argv.slice(2);

async function main() {
  const profile = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    viewport: { width: 1400, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector(".explorer-folders-view", { timeout: 60000 });
    await page.locator(".monaco-list-row", { hasText: "rc.md" }).first().click();
    const squiggle = page.locator(".squiggly-error").first();
    await squiggle.waitFor({ timeout: 60000 });
    await page.screenshot({ path: path.join(shots, "squiggle.png") });

    // Hover: move the mouse onto the squiggle (Playwright's hover is intercepted).
    const box = await squiggle.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const hover = page.locator(".monaco-hover-content", { hasText: "R2111-7" }).first();
    await hover.waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(shots, "hover.png") });

    // The Problems panel lists the finding.
    await page.keyboard.press("Control+Shift+M");
    await page.locator(".markers-panel", { hasText: "brand-without-equivalent" }).first().waitFor({ timeout: 20000 });

    // Quick fix: put the cursor on the word, open the light bulb menu, pick the replacement.
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press("Control+.");
    // The preferred fix comes first and has the focus: Enter applies it.
    await page.locator(".action-widget .monaco-list-row.focused", { hasText: "Word ou équivalent" }).first().waitFor({ timeout: 20000 });
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+S");
    const file = path.join(workspace, "rc.md");
    for (let i = 0; i < 50 && !fs.readFileSync(file, "utf8").includes("Word ou équivalent"); i++) {
      await page.waitForTimeout(200);
    }
    const text = fs.readFileSync(file, "utf8");
    if (!text.includes("Les offres sont remises au format Word ou équivalent.")) {
      throw new Error(`the quick fix did not change the file:\n${text}`);
    }
    console.log("1 passed, 0 failed");
  } catch (e) {
    await page.screenshot({ path: path.join(shots, "failure.png") }).catch(() => {});
    console.error(e);
    console.log("0 passed, 1 failed");
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
