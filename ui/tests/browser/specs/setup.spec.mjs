// @ts-check
import assert from "node:assert/strict";

const DATA_CENTRES = [
  { location: "us", name: "US", accountsHost: "accounts.zoho.com", deskApiBase: "https://desk.zoho.com/api/v1" },
  { location: "eu", name: "EU", accountsHost: "accounts.zoho.eu", deskApiBase: "https://desk.zoho.eu/api/v1" },
];

/** @param {Record<string, unknown>} [overrides] */
function setupState(overrides = {}) {
  return {
    dataCentres: DATA_CENTRES,
    settings: {
      dataCentre: null,
      dataCentreDetected: false,
      clientId: null,
      redirectPort: 8000,
      redirectUri: "http://localhost:8000/callback",
      orgId: null,
      orgName: null,
      supportDepartmentId: null,
      supportDepartmentName: null,
      callbacksDepartmentId: null,
      callbacksDepartmentName: null,
      sandbox: false,
    },
    status: { state: "not_connected" },
    secretStore: { kind: "keychain" },
    pendingConsentUrl: null,
    departments: [],
    overridden: false,
    ...overrides,
  };
}

const SUPPORT = { id: "11", name: "Support" };
const CALLBACKS = { id: "12", name: "Callbacks" };
const SALES = { id: "13", name: "Sales" };

/** @param {{ callbacks?: boolean, sandbox?: boolean }} [options] */
function connected({ callbacks = true, sandbox = false } = {}) {
  return {
    kind: "connected",
    connection: {
      organization: { id: "600", name: "Acme Support", isDefault: true },
      departments: callbacks ? [SUPPORT, CALLBACKS, SALES] : [SUPPORT, SALES],
      support: SUPPORT,
      callbacks: callbacks ? CALLBACKS : null,
      warnings: callbacks ? [] : [{ kind: "noCallbacksDepartment", message: "No callbacks." }],
      dataCentre: "eu",
      dataCentreDetected: true,
      sandbox,
    },
  };
}

const CLIENT_ID = "1000.DESKSIMDEVCLIENT0000000000000";
const CLIENT_SECRET = "0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c";
const CONSENT = { consentUrl: "https://accounts.zoho.com/oauth/v2/auth?client_id=x&state=s", browserError: null };

/** @param {import("../lib/harness.mjs").TestContext} t */
async function openWizard(t) {
  await t.page.goto(t.url);
  await t.byTestId("nav-setup").click();
  await t.byTestId("setup-step-dc").waitFor();
}

/** @param {import("../lib/harness.mjs").TestContext} t */
async function toCredentials(t) {
  await openWizard(t);
  await t.byTestId("setup-next").click();
  await t.byTestId("setup-step-client").waitFor();
  await t.byTestId("setup-next").click();
  await t.byTestId("setup-step-credentials").waitFor();
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "setup wizard: data centre list, API client values with a changeable port, then connect, departments and a test ticket",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_consent: { resolve: CONSENT },
      setup_finish_consent: { resolve: connected(), delayMs: 500 },
      setup_choose_departments: { resolve: null },
      setup_send_test: { resolve: { kind: "ticket", ticketNumber: "101", webUrl: null, delivered: true, error: null } },
      setup_open_api_console: { resolve: null },
    },
    async run(t) {
      await openWizard(t);
      const options = await t.byTestId("setup-dc").locator("option").allTextContents();
      assert.deepEqual(options, ["US (accounts.zoho.com)", "EU (accounts.zoho.eu)"]);
      await t.byTestId("setup-dc").selectOption("eu");
      await t.byTestId("setup-next").click();
      await t.expectText(t.byTestId("setup-client-type"), "Server-based Applications");
      assert.equal(await t.byTestId("setup-redirect-uri").inputValue(), "http://localhost:8000/callback");
      await t.byTestId("setup-port").fill("9123");
      assert.equal(await t.byTestId("setup-redirect-uri").inputValue(), "http://localhost:9123/callback");
      await t.byTestId("setup-open-console").click();
      await t.byTestId("setup-next").click();
      await t.byTestId("setup-client-id").fill(`  ${CLIENT_ID}\n`);
      await t.byTestId("setup-client-secret").fill(` ${CLIENT_SECRET} `);
      await t.byTestId("setup-connect").click();
      await t.expectText(t.byTestId("setup-waiting"), "Waiting for you to approve");
      assert.equal(await t.byTestId("setup-consent-url").inputValue(), CONSENT.consentUrl);
      await t.byTestId("setup-copy-link").waitFor();
      await t.byTestId("setup-cancel").waitFor();
      await t.expectText(t.byTestId("setup-connected-org"), "Acme Support", { exact: true });
      await t.expectText(t.byTestId("setup-dc-detected"), "EU (detected)");
      assert.equal(await t.byTestId("setup-support-dept").inputValue(), "11");
      assert.equal(await t.byTestId("setup-callbacks-dept").inputValue(), "12");
      assert.equal(await t.byTestId("setup-warning-no-callbacks").count(), 0);
      await t.byTestId("setup-departments-next").click();
      await t.byTestId("setup-send-test-ticket").click();
      await t.expectText(t.byTestId("setup-test-ticket-number"), "101", { exact: true });
      const calls = await t.backendCalls();
      const start = calls.find((c) => c.command === "setup_start_consent");
      assert.deepEqual(start?.args, {
        client: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, dataCentre: "eu", redirectPort: 9123 },
      });
      assert.deepEqual(calls.find((c) => c.command === "setup_open_api_console")?.args, { dataCentre: "eu" });
      assert.deepEqual(calls.find((c) => c.command === "setup_choose_departments")?.args, { supportId: "11", callbacksId: "12" });
      assert.deepEqual(calls.find((c) => c.command === "setup_send_test")?.args, { kind: "ticket" });
      assert.equal(await t.page.getByText(CLIENT_SECRET).count(), 0, "the secret is not shown");
    },
  },
  {
    name: "setup wizard: a malformed client id or secret is explained inline and nothing is sent",
    backend: { setup_state: { resolve: setupState() }, setup_start_consent: { resolve: CONSENT } },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill("2000.ABCDEFGHIJKL");
      await t.byTestId("setup-client-secret").fill("has spaces in it");
      await t.byTestId("setup-connect").click();
      await t.expectText(t.byTestId("setup-client-id-error"), "starts with “1000.”");
      await t.expectText(t.byTestId("setup-client-secret-error"), "no spaces");
      assert.equal(await t.byTestId("setup-client-id").getAttribute("aria-invalid"), "true");
      assert.equal((await t.backendCalls()).filter((c) => c.command === "setup_start_consent").length, 0);
    },
  },
  {
    name: "setup wizard: a port in use is reported with what to do",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_consent: {
        reject: {
          kind: "validation",
          message: "Port 8000 is in use by another program: close it, or choose another port and register it too.",
        },
      },
    },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill(CLIENT_ID);
      await t.byTestId("setup-client-secret").fill(CLIENT_SECRET);
      await t.byTestId("setup-connect").click();
      await t.expectText(t.byTestId("setup-error-message"), "Port 8000 is in use by another program");
      assert.equal(await t.byTestId("setup-error").getAttribute("role"), "alert");
    },
  },
  {
    name: "setup wizard: a denied consent ends the wait with the reason, and Try again goes back",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_consent: { resolve: { ...CONSENT, browserError: "The web browser did not open (no opener); use \"Copy link\"." } },
      setup_finish_consent: {
        reject: { kind: "validation", message: "Access was denied on the Zoho consent page; connect again and choose Accept." },
        delayMs: 300,
      },
    },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill(CLIENT_ID);
      await t.byTestId("setup-client-secret").fill(CLIENT_SECRET);
      await t.byTestId("setup-connect").click();
      await t.expectText(t.byTestId("setup-browser-error"), "did not open");
      await t.expectText(t.byTestId("setup-error-message"), "Access was denied");
      await t.page.getByRole("button", { name: "Try again" }).click();
      await t.byTestId("setup-step-credentials").waitFor();
    },
  },
  {
    name: "setup wizard: Cancel stops waiting; a pasted address is handed to Rust",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_consent: { resolve: CONSENT },
      setup_finish_consent: { resolve: connected(), delayMs: 5000 },
      setup_paste_redirect: { resolve: null },
      setup_cancel_consent: { resolve: null },
    },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill(CLIENT_ID);
      await t.byTestId("setup-client-secret").fill(CLIENT_SECRET);
      await t.byTestId("setup-connect").click();
      await t.byTestId("setup-waiting").waitFor();
      await t.byTestId("setup-paste").fill(" http://localhost:8000/callback?code=x&state=y ");
      await t.byTestId("setup-paste-submit").click();
      await t.byTestId("setup-cancel").click();
      await t.byTestId("setup-step-credentials").waitFor();
      const calls = await t.backendCalls();
      assert.deepEqual(calls.find((c) => c.command === "setup_paste_redirect")?.args, {
        address: "http://localhost:8000/callback?code=x&state=y",
      });
      assert.ok(calls.some((c) => c.command === "setup_cancel_consent"));
    },
  },
  {
    name: "setup wizard: no callbacks department gives a clear warning; another can be picked",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_consent: { resolve: CONSENT },
      setup_finish_consent: { resolve: connected({ callbacks: false }) },
    },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill(CLIENT_ID);
      await t.byTestId("setup-client-secret").fill(CLIENT_SECRET);
      await t.byTestId("setup-connect").click();
      await t.expectText(t.byTestId("setup-warning-no-callbacks"), "callbacks cannot be booked");
      await t.byTestId("setup-callbacks-dept").selectOption("13");
      assert.equal(await t.byTestId("setup-warning-no-callbacks").count(), 0);
    },
  },
  {
    name: "setup wizard: several organizations are offered to choose from",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_consent: { resolve: CONSENT },
      setup_finish_consent: {
        resolve: {
          kind: "choose_organization",
          organizations: [
            { id: "1", name: "Acme EU", isDefault: true },
            { id: "2", name: "Acme US", isDefault: false },
          ],
        },
      },
      setup_choose_organization: { resolve: connected() },
    },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill(CLIENT_ID);
      await t.byTestId("setup-client-secret").fill(CLIENT_SECRET);
      await t.byTestId("setup-connect").click();
      await t.byTestId("setup-step-organization").waitFor();
      await t.byTestId("setup-org-choice").nth(1).click();
      await t.byTestId("setup-step-departments").waitFor();
      assert.deepEqual((await t.backendCalls()).find((c) => c.command === "setup_choose_organization")?.args, { orgId: "2" });
    },
  },
  {
    name: "setup wizard: Try without a Zoho account starts the sandbox and labels it",
    backend: {
      setup_state: { resolve: setupState() },
      setup_start_sandbox: { resolve: { consentUrl: "http://127.0.0.1:9/oauth/v2/auth?x=1", browserError: null } },
      setup_finish_consent: { resolve: connected({ sandbox: true }) },
    },
    async run(t) {
      await openWizard(t);
      await t.byTestId("setup-try-sandbox").click();
      await t.byTestId("setup-step-departments").waitFor();
      await t.expectText(t.byTestId("setup-wizard"), "Sandbox");
    },
  },
  {
    name: "setup wizard: a Self Client code connects without the browser",
    backend: { setup_state: { resolve: setupState() }, setup_self_client_code: { resolve: connected() } },
    async run(t) {
      await toCredentials(t);
      await t.byTestId("setup-client-id").fill(CLIENT_ID);
      await t.byTestId("setup-client-secret").fill(CLIENT_SECRET);
      await t.byTestId("setup-use-self-client").click();
      await t.byTestId("setup-self-client-code").fill(" 1000.abc.def ");
      await t.byTestId("setup-self-client-submit").click();
      await t.byTestId("setup-step-departments").waitFor();
      const call = (await t.backendCalls()).find((c) => c.command === "setup_self_client_code");
      assert.equal(/** @type {any} */ (call?.args).code, "1000.abc.def");
    },
  },
  {
    name: "setup wizard: a .env file is read in the page and its text imported",
    backend: { setup_state: { resolve: setupState() }, setup_import_env: { resolve: connected() } },
    async run(t) {
      await openWizard(t);
      await t.byTestId("setup-import-env").setInputFiles({
        name: ".env",
        mimeType: "text/plain",
        buffer: Buffer.from("DESK_ACCESS_TOKEN=abc\nDESK_ORGANIZATION_ID=600\n"),
      });
      await t.byTestId("setup-step-departments").waitFor();
      const call = (await t.backendCalls()).find((c) => c.command === "setup_import_env");
      assert.equal(/** @type {any} */ (call?.args).contents, "DESK_ACCESS_TOKEN=abc\nDESK_ORGANIZATION_ID=600\n");
    },
  },
  {
    name: "setup: no keychain asks before keeping the sign-in in a file; the file store shows a banner",
    backend: {
      setup_state: { resolve: setupState({ secretStore: { kind: "needs_consent", reason: "The system keychain is not available." } }) },
      setup_accept_file_store: { resolve: null },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("nav-setup").click();
      await t.expectText(t.byTestId("setup-store-reason"), "keychain is not available");
      assert.equal(await t.byTestId("setup-wizard").count(), 0, "the wizard waits for the answer");
      await t.setBackend({ setup_state: { resolve: setupState({ secretStore: { kind: "file" } }) } });
      await t.byTestId("setup-accept-file-store").click();
      await t.expectText(t.byTestId("setup-file-banner"), "only your user account can read");
      await t.byTestId("setup-wizard").waitFor();
    },
  },
  {
    name: "setup: when connected, Reconnect opens the wizard once and Disconnect reports what Zoho did",
    backend: {
      connection_status: { resolve: { state: "connected", orgName: "Acme Support", dataCentre: "eu", sandbox: false } },
      setup_state: {
        resolve: setupState({
          status: { state: "connected", orgName: "Acme Support", dataCentre: "eu", sandbox: false },
          settings: {
            ...setupState().settings,
            dataCentre: "eu",
            dataCentreDetected: true,
            clientId: CLIENT_ID,
            orgId: "600",
            orgName: "Acme Support",
            supportDepartmentId: "11",
            supportDepartmentName: "Support",
            callbacksDepartmentId: "12",
            callbacksDepartmentName: "Callbacks",
          },
        }),
      },
      setup_disconnect: { resolve: { revoked: true, message: "Disconnected: Zoho revoked Desk Chat's access." } },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("nav-setup").click();
      await t.expectText(t.byTestId("setup-current-departments"), "Tickets: Support · Callbacks: Callbacks");
      await t.byTestId("setup-reconnect").click();
      await t.byTestId("setup-step-credentials").waitFor();
      assert.equal(await t.byTestId("setup-client-id").inputValue(), CLIENT_ID, "the client id is kept");
      assert.equal(await t.byTestId("setup-client-secret").inputValue(), "", "the secret is never sent back");
      assert.ok(await t.byTestId("setup-reconnect").isDisabled(), "Reconnect cannot be clicked again meanwhile");
      await t.byTestId("setup-disconnect").click();
      await t.expectText(t.byTestId("setup-notice"), "Zoho revoked");
    },
  },
];
