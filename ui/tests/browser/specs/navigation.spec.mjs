// @ts-check
import assert from "node:assert/strict";

const NAV = [
  { testId: "nav-chat", label: "Chat", view: "view-chat" },
  { testId: "nav-new-ticket", label: "New ticket", view: "view-new-ticket" },
  { testId: "nav-new-callback", label: "New callback", view: "view-new-callback" },
  { testId: "nav-history", label: "History", view: "view-history" },
  { testId: "nav-setup", label: "Setup", view: "view-setup" },
  { testId: "nav-about", label: "About", view: "view-about" },
];

/**
 * @param {import("../lib/harness.mjs").TestContext} t
 * @param {string} active the nav test id that should be current
 */
async function expectCurrent(t, active) {
  for (const item of NAV) {
    const current = await t.byTestId(item.testId).getAttribute("aria-current");
    assert.equal(current, item.testId === active ? "page" : null, `aria-current on ${item.testId}`);
  }
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "opens on Chat, with the product name and the navigation",
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("app-title"), "Desk Chat", { exact: true });
      const nav = t.page.getByRole("navigation", { name: "Main" });
      await nav.waitFor();
      for (const item of NAV) {
        await t.expectText(nav.getByTestId(item.testId), item.label, { exact: true });
      }
      await t.byTestId("view-chat").waitFor();
      await t.expectText(t.page.getByRole("heading", { level: 1 }), "Chat", { exact: true });
      await expectCurrent(t, "nav-chat");
    },
  },
  {
    name: "each navigation item shows its view and becomes the current one",
    async run(t) {
      await t.page.goto(t.url);
      for (const item of [...NAV.slice(1), NAV[0]]) {
        if (item === undefined) continue;
        await t.byTestId(item.testId).click();
        await t.byTestId(item.view).waitFor();
        await t.expectText(t.page.getByRole("heading", { level: 1 }), item.label, { exact: true });
        await expectCurrent(t, item.testId);
        for (const other of NAV.filter((o) => o !== item)) {
          assert.equal(await t.byTestId(other.view).count(), 0, `${other.view} still shown`);
        }
      }
    },
  },
  {
    name: "the navigation works from the keyboard, with a visible focus ring",
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("view-chat").waitFor();
      await t.byTestId("nav-chat").focus();
      await t.page.keyboard.press("Tab");
      assert.equal(await t.page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "nav-new-ticket");
      await t.page.keyboard.press("Enter");
      await t.byTestId("view-new-ticket").waitFor();
      // Focus stays in the navigation: Tab walks on to the next item.
      for (let i = 0; i < 3; i += 1) await t.page.keyboard.press("Tab");
      assert.equal(await t.page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "nav-setup");
      await t.page.keyboard.press("Space");
      await t.byTestId("view-setup").waitFor();
      await expectCurrent(t, "nav-setup");
      const outline = await t.byTestId("nav-setup").evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.notEqual(outline, "none", "focused nav item has no focus ring");
    },
  },
  {
    name: "the layout fits the smallest window (720x540) and 800x600 without sideways scrolling",
    async run(t) {
      for (const viewport of [{ width: 720, height: 540 }, { width: 800, height: 600 }]) {
        await t.page.setViewportSize(viewport);
        await t.page.goto(t.url);
        await t.expectText(t.byTestId("connection-status"), "Not connected: set up Zoho Desk");
        for (const item of NAV) {
          const box = await t.byTestId(item.testId).boundingBox();
          assert.ok(box !== null && box.y + box.height <= viewport.height, `${item.testId} off screen at ${viewport.width}`);
        }
        for (const testId of ["connection-status", "status-action", "app-title"]) {
          const box = await t.byTestId(testId).boundingBox();
          assert.ok(box !== null && box.x + box.width <= viewport.width, `${testId} cut off at ${viewport.width}`);
        }
        const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at ${viewport.width}x${viewport.height}`);
      }
    },
  },
];
