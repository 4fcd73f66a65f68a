// @ts-check
import assert from "node:assert/strict";

/** @param {import("playwright-core").Page} page */
function bodyBackground(page) {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "the page is served with the production CSP and renders every view without a violation",
    async run(t) {
      const response = await t.page.goto(t.url);
      const csp = response?.headers()["content-security-policy"] ?? "";
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      for (const testId of ["nav-new-ticket", "nav-new-callback", "nav-history", "nav-setup", "nav-about", "nav-chat"]) {
        await t.byTestId(testId).click();
        await t.byTestId(testId.replace(/^nav-/, "view-")).waitFor();
      }
      await t.byTestId("view-chat").waitFor();
      // The harness fails the test on any violation or console error seen here.
    },
  },
  {
    name: "the CSP is enforced: an inline script and an inline style are refused and reported",
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("view-chat").waitFor();
      const ran = await t.page.evaluate(async () => {
        const script = document.createElement("script");
        script.textContent = "document.documentElement.dataset.inlineScriptRan = 'yes'";
        document.body.append(script);
        const style = document.createElement("style");
        style.textContent = "body { background: rgb(1, 2, 3) }";
        document.head.append(style);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return document.documentElement.dataset["inlineScriptRan"] ?? "no";
      });
      assert.equal(ran, "no", "inline script ran");
      assert.notEqual(await bodyBackground(t.page), "rgb(1, 2, 3)", "inline style applied");
      const directives = (await t.takeCspViolations()).map((v) => v.directive).sort();
      assert.deepEqual(directives, ["script-src-elem", "style-src-elem"]);
      t.takeConsoleErrors(); // Chromium also logs each refusal; they were expected here.
    },
  },
  {
    name: "follows the system dark mode",
    async run(t) {
      await t.page.emulateMedia({ colorScheme: "light" });
      await t.page.goto(t.url);
      await t.byTestId("view-chat").waitFor();
      const light = await bodyBackground(t.page);
      await t.page.emulateMedia({ colorScheme: "dark" });
      const dark = await bodyBackground(t.page);
      assert.notEqual(light, dark);
      const [r, g, b] = (dark.match(/\d+/g) ?? []).map(Number);
      assert.ok((r ?? 255) < 64 && (g ?? 255) < 64 && (b ?? 255) < 64, `dark background is ${dark}`);
    },
  },
];
