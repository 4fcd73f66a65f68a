// @ts-check
import assert from "node:assert/strict";

import { DEFAULT_APP_INFO } from "../lib/harness.mjs";

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "About shows what app_info returned",
    backend: { app_info: { resolve: { ...DEFAULT_APP_INFO, version: "9.8.7-rc.1" } } },
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("nav-about").click();
      await t.expectText(t.byTestId("about-version"), "9.8.7-rc.1", { exact: true });
      await t.expectText(t.byTestId("about-name"), DEFAULT_APP_INFO.name, { exact: true });
      await t.expectText(t.byTestId("about-tauri-version"), DEFAULT_APP_INFO.tauriVersion, { exact: true });
      await t.expectText(t.byTestId("about-data-dir"), DEFAULT_APP_INFO.dataDir, { exact: true });
      await t.expectText(t.byTestId("about-log-dir"), DEFAULT_APP_INFO.logDir, { exact: true });
      const appInfoCalls = (await t.backendCalls()).filter((call) => call.command === "app_info");
      assert.equal(appInfoCalls.length, 1);
      assert.deepEqual(appInfoCalls[0]?.args, {}, "app_info takes no arguments");
    },
  },
  {
    name: "an app_info failure is shown as text, never as HTML",
    backend: {
      app_info: { reject: { kind: "internal", message: "The <b>log folder</b> cannot be created" } },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("nav-about").click();
      const message = t.byTestId("about-error-message");
      await t.expectText(message, "The <b>log folder</b> cannot be created", { exact: true });
      assert.equal(await message.locator("b").count(), 0, "the message was parsed as HTML");
      assert.equal(await t.byTestId("about-error").getAttribute("role"), "alert");
      assert.equal(await t.byTestId("about-version").count(), 0);
    },
  },
];
