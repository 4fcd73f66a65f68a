// @ts-check
import assert from "node:assert/strict";

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "not connected: the status asks for setup and its button opens Setup",
    backend: { connection_status: { resolve: { state: "not_connected" } } },
    async run(t) {
      await t.page.goto(t.url);
      const status = t.byTestId("connection-status");
      await t.expectText(status, "Not connected: set up Zoho Desk");
      assert.equal(await status.getAttribute("role"), "status");
      await t.expectText(t.byTestId("setup-first"), "Set up Zoho Desk first");
      await t.expectText(t.byTestId("status-action"), "Set up", { exact: true });
      await t.byTestId("status-action").click();
      await t.byTestId("view-setup").waitFor();
      assert.equal(await t.byTestId("nav-setup").getAttribute("aria-current"), "page");
      await t.expectText(t.byTestId("setup-current"), "Not connected: set up Zoho Desk");
    },
  },
  {
    name: "connected to a sandbox: the status names the org and data centre, with a Sandbox badge",
    backend: {
      connection_status: { resolve: { state: "connected", orgName: "Acme Support", dataCentre: "eu", sandbox: true } },
    },
    async run(t) {
      await t.page.goto(t.url);
      const status = t.byTestId("connection-status");
      await t.expectText(status, "Connected to Acme Support");
      await t.expectText(status, "Data centre: EU");
      await t.expectText(t.byTestId("status-sandbox"), "Sandbox", { exact: true });
      assert.equal(await t.byTestId("status-action").count(), 0, "no action needed when connected");
      assert.equal(await t.byTestId("setup-first").count(), 0, "chat asks for setup although connected");
    },
  },
  {
    name: "connected to production: no Sandbox badge",
    backend: {
      connection_status: { resolve: { state: "connected", orgName: "Acme Support", dataCentre: "us", sandbox: false } },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("connection-status"), "Connected to Acme Support");
      assert.equal(await t.byTestId("status-sandbox").count(), 0);
    },
  },
  {
    name: "reconnect needed: said prominently, with a Reconnect button",
    backend: {
      connection_status: {
        resolve: { state: "reconnect_needed", orgName: "Acme Support", dataCentre: "in", sandbox: false },
      },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("connection-status"), /^Reconnect needed Acme Support/);
      await t.expectText(t.byTestId("status-action"), "Reconnect", { exact: true });
      await t.expectText(t.byTestId("setup-first"), "Reconnect to Zoho Desk first");
      const weight = await t.byTestId("connection-status").locator(".headline").evaluate((el) => getComputedStyle(el).fontWeight);
      assert.ok(Number(weight) >= 700, `headline weight ${weight}`);
    },
  },
  {
    name: "a connection_status failure is shown as text, and Retry asks again",
    backend: {
      connection_status: { reject: { kind: "internal", message: "The settings file is damaged: <settings.json>" } },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("status-error"), "The settings file is damaged: <settings.json>", { exact: true });
      await t.expectText(t.byTestId("status-action"), "Retry", { exact: true });
      await t.setBackend({
        connection_status: { resolve: { state: "connected", orgName: "Acme", dataCentre: "au", sandbox: false }, delayMs: 600 },
      });
      await t.byTestId("status-action").click();
      await t.expectText(t.byTestId("connection-status"), "Checking the connection to Zoho Desk");
      await t.expectText(t.byTestId("connection-status"), "Connected to Acme");
      assert.equal((await t.backendCalls()).filter((c) => c.command === "connection_status").length, 2);
    },
  },
];
