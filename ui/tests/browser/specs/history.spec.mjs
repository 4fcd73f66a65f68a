// @ts-check
// The History view against the fake backend: list, refresh, search, retry, edit, discard, live updates.
import assert from "node:assert/strict";

/**
 * @param {Record<string, unknown>} fields
 * @returns {Record<string, unknown>}
 */
function item(fields) {
  return {
    kind: "ticket",
    ticketNumber: null,
    subject: "",
    departmentId: "11",
    departmentName: "Support",
    contactName: "Ada Lovelace",
    contactEmail: "ada@example.com",
    createdAt: "2026-11-29T10:00:00Z",
    deliveredAt: null,
    deliveryState: "queued",
    deskStatus: null,
    statusCheckedAt: null,
    hasWebUrl: false,
    lastError: null,
    fieldErrors: [],
    attempts: 0,
    nextAttemptAt: null,
    attachments: [],
    editable: true,
    ...fields,
  };
}

const SENT = item({
  id: 1,
  ticketNumber: "1001",
  subject: "<b>Printer</b> on fire",
  createdAt: "2026-11-27T09:00:00Z",
  deliveredAt: "2026-11-27T09:00:02Z",
  deliveryState: "sent",
  deskStatus: "Open",
  hasWebUrl: true,
  editable: false,
});
const QUEUED = item({
  id: 2,
  kind: "callback",
  subject: "Callback for Grace Hopper",
  departmentId: "12",
  departmentName: "Callbacks",
  contactName: "Grace Hopper",
  contactEmail: null,
  createdAt: "2026-11-29T08:00:00Z",
  attempts: 2,
  nextAttemptAt: "2026-11-29T08:05:00Z",
});
const FAILED = item({
  id: 3,
  subject: "Refund please",
  createdAt: "2026-11-28T12:00:00Z",
  deliveryState: "failed",
  lastError: "Zoho Desk refused the ticket: phone is not valid.",
  fieldErrors: [{ field: "phone", message: "The phone number is not valid." }],
  attachments: [{ name: "receipt.pdf", size: 2048, uploaded: false }],
});

/**
 * @param {Record<string, unknown>[]} items
 * @param {Partial<{ refreshed: number, refreshError: string | null }>} [rest]
 */
function history(items, rest = {}) {
  /** @type {Record<string, number>} */
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const i of items) counts[String(i["deliveryState"])] = (counts[String(i["deliveryState"])] ?? 0) + 1;
  return { items, counts, refreshed: 0, refreshError: null, ...rest };
}

/**
 * @param {import("../lib/harness.mjs").TestContext} t
 * @param {string} command
 */
async function argsOf(t, command) {
  return (await t.backendCalls()).filter((c) => c.command === command).map((c) => c.args);
}

/** @param {import("../lib/harness.mjs").TestContext} t @param {number} id */
function row(t, id) {
  return t.page.locator(`[data-testid="history-row"][data-id="${id}"]`);
}

/** @param {import("../lib/harness.mjs").TestContext} t */
async function openHistory(t) {
  await t.page.goto(t.url);
  await t.byTestId("nav-history").click();
  await t.byTestId("history-list").waitFor();
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "history: listed newest first, then statuses from Desk; counts, states in words, errors of failed rows, text never HTML",
    backend: {
      history_list: { resolve: history([SENT, QUEUED, FAILED]) },
      history_refresh: { resolve: history([{ ...SENT, deskStatus: "Closed" }, QUEUED, FAILED], { refreshed: 1 }), delayMs: 200 },
      history_open_in_desk: { resolve: null },
    },
    async run(t) {
      await openHistory(t);
      const rows = t.byTestId("history-row");
      assert.deepEqual(await rows.evaluateAll((els) => els.map((el) => el.getAttribute("data-id"))), ["2", "3", "1"]);
      await t.expectText(row(t, 1).getByTestId("history-desk-status"), "Desk: Closed");
      const commands = (await t.backendCalls()).map((c) => c.command).filter((c) => c.startsWith("history_"));
      assert.deepEqual(commands.slice(0, 3), ["history_list", "history_subscribe", "history_refresh"]);
      assert.deepEqual(await argsOf(t, "history_list"), [{ search: null }]);
      const subscribe = (await t.backendCalls()).find((c) => c.command === "history_subscribe");
      assert.match(JSON.stringify(subscribe?.args), /__CHANNEL__:\d+/);

      await t.expectText(t.byTestId("history-count-sent"), "1 sent");
      await t.expectText(t.byTestId("history-count-queued"), "1 queued");
      await t.expectText(t.byTestId("history-count-failed"), "1 failed");

      const sent = row(t, 1);
      await t.expectText(sent.getByTestId("history-number"), "#1001", { exact: true });
      await t.expectText(sent.getByTestId("history-subject"), "<b>Printer</b> on fire", { exact: true });
      assert.equal(await sent.locator("b").count(), 0);
      await t.expectText(sent.getByTestId("history-department"), "Support", { exact: true });
      await t.expectText(sent.getByTestId("history-contact"), "Ada Lovelace · ada@example.com");
      await t.expectText(sent.getByTestId("history-created"), /2026/);
      assert.equal(await sent.getByTestId("history-created").getAttribute("datetime"), "2026-11-27T09:00:00Z");
      // State in words and an icon, not colour alone.
      await t.expectText(sent.getByTestId("history-delivery"), "✓Sent", { exact: true });
      await t.expectText(row(t, 2).getByTestId("history-delivery"), "Queued");
      await t.expectText(row(t, 2).getByTestId("history-number"), "No number yet");
      await t.expectText(row(t, 2).getByTestId("history-next-attempt"), "tried 2 times");

      // Actions: Open in Desk only with a web URL; Retry, Edit, Discard only for queued or failed.
      assert.equal(await sent.getByTestId("history-open").count(), 1);
      assert.equal(await sent.getByTestId("history-retry").count(), 0);
      assert.equal(await row(t, 2).getByTestId("history-open").count(), 0);
      for (const id of [2, 3]) {
        for (const action of ["history-retry", "history-edit", "history-discard"]) {
          assert.equal(await row(t, id).getByTestId(action).count(), 1, `${action} on ${id}`);
        }
      }
      const failed = row(t, 3);
      await t.expectText(failed.getByTestId("history-row-error"), "Zoho Desk refused the ticket: phone is not valid.");
      await t.expectText(failed.getByTestId("history-row-field-errors"), "Phone: The phone number is not valid.");

      await sent.getByTestId("history-open").click();
      assert.deepEqual(await argsOf(t, "history_open_in_desk"), [{ id: 1 }]);

      // Refresh statuses asks Desk again.
      await t.byTestId("history-refresh").click();
      await t.expectText(t.byTestId("history-refresh"), "Refresh statuses", { exact: true });
      assert.equal((await argsOf(t, "history_refresh")).length, 2);
    },
  },
  {
    name: "history: a refresh Desk could not answer keeps the local list and says why",
    backend: {
      history_list: { resolve: history([QUEUED]) },
      history_refresh: { resolve: history([QUEUED], { refreshError: "Zoho Desk is not reachable; statuses are from earlier." }) },
    },
    async run(t) {
      await openHistory(t);
      await t.expectText(t.byTestId("history-refresh-error"), "Zoho Desk is not reachable");
      assert.equal(await t.byTestId("history-row").count(), 1);
    },
  },
  {
    name: "history: the search box asks once after typing pauses, and passes the search",
    backend: {
      history_list: { resolveEach: [history([SENT, QUEUED, FAILED]), history([FAILED])] },
      history_refresh: { resolve: history([SENT, QUEUED, FAILED]) },
    },
    async run(t) {
      await openHistory(t);
      await t.expectText(t.byTestId("history-count-sent"), "1 sent");
      // Let the first refresh land before searching.
      await t.page.waitForTimeout(100);
      await t.byTestId("history-search").pressSequentially("refund");
      await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="history-row"]').length === 1);
      assert.deepEqual(await argsOf(t, "history_list"), [{ search: null }, { search: "refund" }]);
      await t.expectText(t.byTestId("history-subject"), "Refund please", { exact: true });

      await t.setBackend({ history_list: { resolve: history([]) } });
      await t.byTestId("history-search").fill("nothing like it");
      await t.expectText(t.byTestId("history-empty"), "Nothing matches the search.");
      await t.byTestId("history-refresh").click();
      await t.page.waitForFunction(() => document.querySelector('[data-testid="history-refresh"]')?.textContent?.trim() === "Refresh statuses");
      const refreshes = await argsOf(t, "history_refresh");
      assert.deepEqual(refreshes[refreshes.length - 1], { search: "nothing like it" });
    },
  },
  {
    name: "history: Retry now sends and replaces the row; a pushed update replaces its row; Discard asks first",
    backend: {
      history_list: { resolve: history([SENT, QUEUED, FAILED]) },
      history_refresh: { resolve: history([SENT, QUEUED, FAILED]) },
      history_retry: { resolve: { ...QUEUED, deliveryState: "sent", ticketNumber: "1043", editable: false, deskStatus: "Open" } },
      history_discard: { resolve: null },
    },
    async run(t) {
      await openHistory(t);
      await t.page.waitForTimeout(100);
      await row(t, 2).getByTestId("history-retry").click();
      await t.expectText(row(t, 2).getByTestId("history-delivery"), "Sent");
      await t.expectText(row(t, 2).getByTestId("history-number"), "#1043");
      assert.deepEqual(await argsOf(t, "history_retry"), [{ id: 2 }]);
      assert.equal(await row(t, 2).getByTestId("history-retry").count(), 0);
      await t.expectText(t.byTestId("history-count-sent"), "2 sent");
      await t.expectText(t.byTestId("history-count-queued"), "0 queued");

      // Live: the backend pushes the failed ticket, now delivered.
      const pushed = await t.page.evaluate(
        (update) => window.__DESK_CHAT_PUSH__?.("history_subscribe", update) ?? false,
        { ...FAILED, deliveryState: "sent", ticketNumber: "1044", lastError: null, fieldErrors: [], editable: false },
      );
      assert.equal(pushed, true);
      await t.expectText(row(t, 3).getByTestId("history-number"), "#1044");
      assert.equal(await row(t, 3).getByTestId("history-row-error").count(), 0);
      await t.expectText(t.byTestId("history-count-failed"), "0 failed");

      // Discard: a confirmation first; Keep it changes nothing.
      await t.setBackend({ history_list: { resolve: history([SENT, { ...QUEUED, id: 4 }]) } });
      await t.page.evaluate((update) => window.__DESK_CHAT_PUSH__?.("history_subscribe", update), { ...QUEUED, id: 4, subject: "New one", createdAt: "2026-11-29T11:00:00Z" });
      const fresh = row(t, 4);
      await fresh.waitFor();
      assert.equal(await t.byTestId("history-row").first().getAttribute("data-id"), "4", "a new item is listed first");
      await fresh.getByTestId("history-discard").click();
      await fresh.getByTestId("history-discard-cancel").click();
      assert.deepEqual(await argsOf(t, "history_discard"), []);
      await fresh.getByTestId("history-discard").click();
      await fresh.getByTestId("history-discard-confirm").click();
      await fresh.waitFor({ state: "detached" });
      assert.deepEqual(await argsOf(t, "history_discard"), [{ id: 4 }]);
    },
  },
  {
    name: "history: Edit opens the ticket form prefilled and it resends that item",
    backend: {
      history_list: { resolve: history([SENT, FAILED]) },
      history_refresh: { resolve: history([SENT, FAILED]) },
      history_edit: {
        resolve: {
          kind: "ticket",
          ticket: {
            name: "Ada Lovelace",
            email: "ada@example.com",
            phone: "12",
            subject: "Refund please",
            description: "Order 77",
            departmentId: "13",
            priority: "High",
            status: "Open",
            channel: "Email",
            dueDate: null,
            attachments: ["kept-1"],
          },
          callback: null,
        },
      },
      history_resend_ticket: { resolve: { itemId: 3, state: "sent", ticketNumber: "1050", fieldErrors: [], message: null } },
    },
    async run(t) {
      await openHistory(t);
      await row(t, 3).getByTestId("history-edit").click();
      await t.byTestId("ticket-form").waitFor();
      await t.byTestId("ticket-editing").waitFor();
      assert.deepEqual(await argsOf(t, "history_edit"), [{ id: 3 }]);
      assert.equal(await t.byTestId("ticket-subject").inputValue(), "Refund please");
      assert.equal(await t.byTestId("ticket-department").inputValue(), "13");
      assert.equal(await t.byTestId("ticket-channel").inputValue(), "Email");
      await t.expectText(t.byTestId("ticket-attachment-name"), "receipt.pdf", { exact: true });
      await t.byTestId("ticket-phone").fill("+44 20 7946 0000");
      await t.byTestId("ticket-submit").click();
      await t.expectText(t.byTestId("ticket-result-number"), "1050");
      assert.deepEqual(await argsOf(t, "forms_submit_ticket"), []);
      const resend = /** @type {{ id: number, input: Record<string, unknown> }[]} */ (await argsOf(t, "history_resend_ticket"));
      assert.equal(resend.length, 1);
      assert.equal(resend[0]?.id, 3);
      assert.equal(resend[0]?.input["phone"], "+44 20 7946 0000");
      assert.deepEqual(resend[0]?.input["attachments"], ["kept-1"]);
      // Enter another leaves the edit: a fresh, empty form.
      await t.byTestId("ticket-another").click();
      await t.byTestId("ticket-form").waitFor();
      assert.equal(await t.byTestId("ticket-subject").inputValue(), "");
      assert.equal(await t.byTestId("ticket-editing").count(), 0);
    },
  },
  {
    name: "history: Edit of a callback opens the callback form prefilled and resends it",
    backend: {
      history_list: { resolve: history([QUEUED]) },
      history_refresh: { resolve: history([QUEUED]) },
      history_edit: {
        resolve: {
          kind: "callback",
          ticket: null,
          callback: { name: "Grace Hopper", phone: "+1 415 555 0123", email: "", when: "tomorrow 2pm", note: "About COBOL" },
        },
      },
      forms_parse_when: { resolve: { at: "2026-11-30T14:00:00Z", display: "Monday 30 November 2026, 14:00 (Europe/London)", error: null } },
      history_resend_callback: { resolve: { itemId: 2, state: "queued", ticketNumber: null, fieldErrors: [], message: "Queued." } },
    },
    async run(t) {
      await openHistory(t);
      await row(t, 2).getByTestId("history-edit").click();
      await t.byTestId("callback-form").waitFor();
      assert.equal(await t.byTestId("callback-name").inputValue(), "Grace Hopper");
      await t.expectText(t.byTestId("callback-when-echo"), "Monday 30 November 2026, 14:00 (Europe/London)");
      await t.byTestId("callback-note").press("Control+Enter");
      await t.expectText(t.byTestId("callback-result-message"), "Queued.");
      assert.deepEqual(await argsOf(t, "history_resend_callback"), [
        { id: 2, input: { name: "Grace Hopper", phone: "+1 415 555 0123", email: "", when: "tomorrow 2pm", note: "About COBOL" } },
      ]);
    },
  },
  {
    name: "views load lazily: the forms' and history's chunks are fetched only when opened",
    async run(t) {
      /** @type {string[]} */
      const requested = [];
      t.page.on("request", (request) => requested.push(new URL(request.url()).pathname));
      await t.page.goto(t.url);
      await t.byTestId("view-chat").waitFor();
      await t.page.waitForTimeout(200);
      assert.ok(requested.some((p) => /\/assets\/ChatView-[\w-]+\.js$/.test(p)), `chat chunk: ${requested.join(", ")}`);
      for (const view of ["HistoryView", "NewTicketView", "NewCallbackView", "SetupView", "AboutView"]) {
        assert.deepEqual(requested.filter((p) => p.includes(view)), [], `${view} fetched at start`);
      }
      await t.byTestId("nav-history").click();
      await t.byTestId("view-history").waitFor();
      assert.ok(requested.some((p) => /\/assets\/HistoryView-[\w-]+\.js$/.test(p)), "history chunk not fetched");
      assert.ok(requested.some((p) => /\/assets\/HistoryView-[\w-]+\.css$/.test(p)), "history CSS not fetched with it");
    },
  },
];
