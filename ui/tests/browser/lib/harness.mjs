// @ts-check
// A small test runner for the built UI in Chromium: one fresh browser context per test,
// the fake backend injected before the app loads, and every CSP violation, console
// error or uncaught exception turned into a failure.
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/** @typedef {import("./page-globals").BackendReplies} BackendReplies */
/** @typedef {import("./page-globals").BackendCall} BackendCall */
/** @typedef {import("./page-globals").CspViolation} CspViolation */
/** @typedef {import("playwright-core").Page} Page */
/** @typedef {import("playwright-core").Locator} Locator */
/** @typedef {import("playwright-core").BrowserContextOptions} ContextOptions */

/**
 * @typedef {object} TestContext
 * @property {Page} page
 * @property {string} url where the built UI is served
 * @property {(testId: string) => Locator} byTestId
 * @property {(locator: Locator, expected: string | RegExp, options?: { exact?: boolean }) => Promise<void>} expectText
 *   waits until the locator's text contains (or with exact: equals, or matches) `expected`
 * @property {() => Promise<BackendCall[]>} backendCalls the IPC calls the app made so far
 * @property {(replies: BackendReplies) => Promise<void>} setBackend changes replies from now on
 * @property {() => Promise<CspViolation[]>} takeCspViolations returns and forgets the violations seen so far
 * @property {() => string[]} takeConsoleErrors returns and forgets the console errors seen so far
 */

/**
 * @typedef {object} BrowserTest
 * @property {string} name
 * @property {BackendReplies} [backend] replies that replace the defaults, per command
 * @property {ContextOptions} [context] e.g. viewport, colorScheme
 * @property {boolean} [noPage] runs without a browser (checks of the build itself)
 * @property {(t: TestContext) => Promise<void>} run
 */

export const DEFAULT_APP_INFO = Object.freeze({
  name: "Desk Chat",
  version: "0.1.0-test",
  tauriVersion: "2.12.5",
  identifier: "com.deskchat.desktop",
  dataDir: "/home/tester/.local/share/com.deskchat.desktop",
  logDir: "/home/tester/.local/share/com.deskchat.desktop/logs",
});

/** A fresh chat: the greeting with its three buttons. */
export const DEFAULT_CHAT_VIEW = Object.freeze({
  messages: [
    {
      id: 1,
      role: "bot",
      text: "Hi! I can create a ticket, book a callback or check a ticket. What can I do for you?",
      at: "2026-11-29T10:00:00Z",
      quickReplies: [],
      summary: null,
      submission: null,
    },
  ],
  quickReplies: [
    { id: "create_ticket", label: "Create a ticket" },
    { id: "schedule_callback", label: "Schedule a callback" },
    { id: "check_ticket", label: "Check a ticket" },
  ],
  typing: false,
  connected: true,
});

/** What the forms offer (FormOptionsDto): the setup's Support and Callbacks departments. */
export const DEFAULT_FORM_OPTIONS = Object.freeze({
  departments: [
    { id: "11", name: "Support" },
    { id: "12", name: "Callbacks" },
    { id: "13", name: "Sales" },
  ],
  ticketDepartmentId: "11",
  callbackDepartmentId: "12",
  priorities: ["High", "Medium", "Low"],
  defaultPriority: "Medium",
  statuses: ["Open", "On Hold", "Escalated", "Closed"],
  channels: ["Phone", "Email", "Web", "Chat", "Forums"],
  defaultChannel: "Phone",
  maxAttachmentBytes: 20 * 1024 * 1024,
  maxAttachments: 10,
  timeZone: "Europe/London",
  sandbox: false,
  departmentsError: null,
});

/** An empty history (HistoryDto). */
export const EMPTY_HISTORY = Object.freeze({
  items: [],
  counts: { queued: 0, sending: 0, sent: 0, failed: 0 },
  refreshed: 0,
  refreshError: null,
});

/** @type {BackendReplies} */
export const DEFAULT_BACKEND = Object.freeze({
  app_info: { resolve: DEFAULT_APP_INFO },
  connection_status: { resolve: { state: "not_connected" } },
  chat_restore: { resolve: { messages: [], quickReplies: [], typing: false, connected: true } },
  chat_start: { resolve: DEFAULT_CHAT_VIEW },
  chat_subscribe: { resolve: null },
  forms_options: { resolve: DEFAULT_FORM_OPTIONS },
  forms_contact_suggestions: { resolve: [] },
  history_list: { resolve: EMPTY_HISTORY },
  history_refresh: { resolve: EMPTY_HISTORY },
  history_subscribe: { resolve: null },
});

const TEST_TIMEOUT_MS = 15_000;
const WAIT_TIMEOUT_MS = 5_000;

/** Runs before anything else in the page, in the order Tauri would. */
function initScript(/** @type {BackendReplies} */ backend, /** @type {string} */ mockBundle) {
  return [
    // tauri.conf.json sets app.security.freezePrototype: Tauri injects exactly this first.
    "Object.freeze(Object.prototype);",
    "window.__CSP_VIOLATIONS__ = [];",
    "document.addEventListener('securitypolicyviolation', (e) => {",
    "  window.__CSP_VIOLATIONS__.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });",
    "});",
    `window.__DESK_CHAT_BACKEND__ = ${JSON.stringify(backend)};`,
    mockBundle,
  ].join("\n");
}

/** @param {string} name */
function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

/**
 * @param {() => Promise<boolean>} condition
 * @param {() => Promise<string>} describe what was seen instead, for the failure message
 */
async function waitUntil(condition, describe, timeout = WAIT_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * @param {Promise<void>} work
 * @param {string} name
 */
function withTimeout(work, name) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`"${name}" took longer than ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * @param {object} options
 * @param {import("playwright-core").Browser} options.browser
 * @param {string} options.url
 * @param {string} options.mockBundle
 * @param {string} options.resultsDir screenshots of failed tests go here
 * @param {BrowserTest[]} options.tests
 * @returns {Promise<{ passed: number, failed: number }>}
 */
export async function runTests({ browser, url, mockBundle, resultsDir, tests }) {
  let passed = 0;
  let failed = 0;
  for (const test of tests) {
    const started = Date.now();
    /** @type {string[]} */
    const consoleErrors = [];
    /** @type {Page | null} */
    let page = null;
    const context = test.noPage
      ? null
      : await browser.newContext({ viewport: { width: 800, height: 600 }, ...test.context });
    try {
      if (context === null) {
        await withTimeout(test.run(/** @type {TestContext} */ ({ url })), test.name);
      } else {
        context.setDefaultTimeout(WAIT_TIMEOUT_MS);
        await context.addInitScript({ content: initScript({ ...DEFAULT_BACKEND, ...test.backend }, mockBundle) });
        const p = await context.newPage();
        page = p;
        p.on("console", (message) => {
          if (message.type() === "error") consoleErrors.push(message.text());
        });
        p.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));

        /** @type {TestContext} */
        const t = {
          page: p,
          url,
          byTestId: (testId) => p.getByTestId(testId),
          async expectText(locator, expected, options = {}) {
            /** @type {string | null} */
            let seen = null;
            await waitUntil(
              async () => {
                seen = (await locator.count()) === 0 ? null : await locator.first().textContent();
                if (seen === null) return false;
                const text = seen.replace(/\s+/g, " ").trim();
                if (expected instanceof RegExp) return expected.test(text);
                return options.exact ? text === expected : text.includes(expected);
              },
              async () => `expected ${locator} to ${options.exact ? "be" : "contain"} ${JSON.stringify(String(expected))}, ` +
                `saw ${seen === null ? "no element" : JSON.stringify(seen)}`,
            );
          },
          backendCalls: () => p.evaluate(() => window.__DESK_CHAT_CALLS__ ?? []),
          async setBackend(replies) {
            await p.evaluate((r) => {
              Object.assign(/** @type {BackendReplies} */ (window.__DESK_CHAT_BACKEND__), r);
            }, replies);
          },
          takeCspViolations: () => p.evaluate(() => window.__CSP_VIOLATIONS__?.splice(0) ?? []),
          takeConsoleErrors: () => consoleErrors.splice(0),
        };

        await withTimeout(
          (async () => {
            await test.run(t);
            // Let late reports (violations are dispatched as tasks) arrive before judging.
            await p.waitForTimeout(50);
            const violations = await t.takeCspViolations();
            if (violations.length > 0) throw new Error(`CSP violations: ${JSON.stringify(violations)}`);
            if (consoleErrors.length > 0) throw new Error(`console errors: ${JSON.stringify(consoleErrors)}`);
          })(),
          test.name,
        );
      }
      passed += 1;
      console.log(`  ok    ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`  FAIL  ${test.name} (${Date.now() - started} ms)`);
      console.log(`        ${error instanceof Error ? error.message : String(error)}`.replace(/\n/g, "\n        "));
      if (page !== null) {
        mkdirSync(resultsDir, { recursive: true });
        const shot = join(resultsDir, `${slug(test.name)}.png`);
        try {
          await page.screenshot({ path: shot, fullPage: true });
          console.log(`        screenshot: ${shot}`);
        } catch (shotError) {
          console.log(`        (no screenshot: ${shotError instanceof Error ? shotError.message : shotError})`);
        }
      }
    } finally {
      await context?.close();
    }
  }
  return { passed, failed };
}
