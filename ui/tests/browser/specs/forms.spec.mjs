// @ts-check
// The New ticket and New callback forms against the fake backend.
import assert from "node:assert/strict";

import { DEFAULT_FORM_OPTIONS } from "../lib/harness.mjs";

const ADA = { id: "c1", firstName: "Ada", lastName: "Lovelace", email: "ada@example.com", phone: "+44 20 7946 0000", source: "desk" };
const ADAM = { id: null, firstName: null, lastName: "Adams", email: "adams@example.com", phone: null, source: "history" };

/** @param {number} n */
function staged(n) {
  return { token: `tok-${n}`, name: `file-${n}`, size: 11 };
}

/**
 * @param {import("../lib/harness.mjs").TestContext} t
 * @param {string} command
 */
async function argsOf(t, command) {
  return (await t.backendCalls()).filter((c) => c.command === command).map((c) => c.args);
}

/** @param {import("../lib/harness.mjs").TestContext} t */
function focusedTestId(t) {
  return t.page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? null);
}

/** @param {import("../lib/harness.mjs").TestContext} t */
async function openTicketForm(t) {
  await t.page.goto(t.url);
  await t.byTestId("nav-new-ticket").click();
  await t.byTestId("ticket-form").waitFor();
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "ticket form: suggestion chosen by keyboard, attachments by file input and by drop, sent with its number",
    backend: {
      forms_contact_suggestions: { resolve: [ADAM, ADA] },
      forms_stage_attachment: {
        resolveEach: [
          { token: "tok-1", name: "notes.txt", size: 11 },
          { token: "tok-2", name: "Bericht März.txt", size: 6 },
          { token: "tok-3", name: "extra.txt", size: 1 },
        ],
      },
      forms_unstage_attachment: { resolve: null },
      forms_submit_ticket: { resolve: { itemId: 7, state: "sent", ticketNumber: "1042", fieldErrors: [], message: null } },
    },
    async run(t) {
      await openTicketForm(t);
      // Defaults from forms_options: the setup's Support department, Medium, Open, Phone; the zone is named.
      assert.equal(await t.byTestId("ticket-department").inputValue(), "11");
      assert.equal(await t.byTestId("ticket-priority").inputValue(), "Medium");
      assert.equal(await t.byTestId("ticket-status").inputValue(), "Open");
      assert.equal(await t.byTestId("ticket-channel").inputValue(), "Phone");
      assert.equal(await t.byTestId("ticket-due").getAttribute("type"), "datetime-local");
      await t.expectText(t.byTestId("ticket-due-hint"), "Europe/London");

      // Typing asks once, after the pause, with what was typed last.
      const name = t.byTestId("ticket-name");
      await name.click();
      await name.pressSequentially("Ada L");
      const listbox = t.byTestId("ticket-name-suggestions");
      await listbox.waitFor();
      assert.equal(await listbox.getAttribute("role"), "listbox");
      assert.equal(await name.getAttribute("role"), "combobox");
      assert.equal(await name.getAttribute("aria-expanded"), "true");
      assert.deepEqual(await argsOf(t, "forms_contact_suggestions"), [{ field: "name", query: "Ada L" }]);
      const options = t.byTestId("ticket-name-suggestion");
      assert.equal(await options.count(), 2);

      // ArrowDown, ArrowDown, ArrowUp, ArrowDown: the second option, pointed at by aria-activedescendant.
      for (const key of ["ArrowDown", "ArrowDown", "ArrowUp", "ArrowDown"]) await t.page.keyboard.press(key);
      const activeId = await name.getAttribute("aria-activedescendant");
      assert.equal(activeId, await options.nth(1).getAttribute("id"));
      assert.equal(await options.nth(1).getAttribute("aria-selected"), "true");
      assert.equal(await options.nth(0).getAttribute("aria-selected"), "false");
      assert.equal(await focusedTestId(t), "ticket-name", "focus stays in the text box");
      await t.page.keyboard.press("Enter");
      assert.equal(await name.inputValue(), "Ada Lovelace");
      assert.equal(await t.byTestId("ticket-email").inputValue(), "ada@example.com");
      assert.equal(await t.byTestId("ticket-phone").inputValue(), "+44 20 7946 0000");
      assert.equal(await name.getAttribute("aria-expanded"), "false");
      assert.equal(await t.byTestId("ticket-form").count(), 1, "Enter on an option does not submit");

      await t.byTestId("ticket-subject").fill("Printer on fire");
      await t.byTestId("ticket-description").fill("It smokes.\nThen it beeps.");
      await t.byTestId("ticket-priority").selectOption("High");
      await t.byTestId("ticket-department").selectOption("13");
      await t.byTestId("ticket-due").fill("2026-12-01T09:30");

      // A file from the picker, read in the page and sent as a raw binary body.
      await t.byTestId("ticket-files").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello notes") });
      await t.expectText(t.byTestId("ticket-attachment-name").nth(0), "notes.txt", { exact: true });
      // And one dropped onto the drop zone.
      await t.byTestId("ticket-dropzone").evaluate((zone) => {
        const data = new DataTransfer();
        data.items.add(new File(["bonjour"], "Bericht März.txt", { type: "text/plain" }));
        zone.dispatchEvent(new DragEvent("dragenter", { bubbles: true, cancelable: true, dataTransfer: data }));
        zone.dispatchEvent(new DragEvent("dragover", { bubbles: true, cancelable: true, dataTransfer: data }));
        zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: data }));
      });
      await t.expectText(t.byTestId("ticket-attachment-name").nth(1), "Bericht März.txt", { exact: true });
      const stagedCalls = await argsOf(t, "forms_stage_attachment");
      assert.deepEqual(stagedCalls, [
        { binary: true, size: 11, text: "hello notes", headers: { "x-file-name": "notes.txt" } },
        { binary: true, size: 7, text: "bonjour", headers: { "x-file-name": "Bericht%20M%C3%A4rz.txt" } },
      ]);

      // A third, removed again: Rust lets go of it.
      await t.byTestId("ticket-files").setInputFiles({ name: "extra.txt", mimeType: "text/plain", buffer: Buffer.from("x") });
      await t.expectText(t.byTestId("ticket-attachment-name").nth(2), "extra.txt");
      await t.byTestId("ticket-attachment-remove").nth(2).click();
      assert.equal(await t.byTestId("ticket-attachment").count(), 2);
      assert.deepEqual(await argsOf(t, "forms_unstage_attachment"), [{ token: "tok-3" }]);

      await t.expectText(t.byTestId("ticket-submit"), "Ctrl+Enter");
      await t.byTestId("ticket-submit").click();
      const result = t.byTestId("ticket-result");
      await result.waitFor();
      assert.equal(await result.getAttribute("data-state"), "sent");
      await t.expectText(t.byTestId("ticket-result-number"), "1042", { exact: true });
      assert.deepEqual(await argsOf(t, "forms_submit_ticket"), [
        {
          input: {
            name: "Ada Lovelace",
            email: "ada@example.com",
            phone: "+44 20 7946 0000",
            subject: "Printer on fire",
            description: "It smokes.\nThen it beeps.",
            departmentId: "13",
            priority: "High",
            status: "Open",
            channel: "Phone",
            dueDate: "2026-12-01T09:30",
            attachments: ["tok-1", "tok-2"],
          },
        },
      ]);

      // Enter another: an empty form with the defaults, focus in the first field.
      await t.byTestId("ticket-another").click();
      await t.byTestId("ticket-form").waitFor();
      assert.equal(await t.byTestId("ticket-name").inputValue(), "");
      assert.equal(await t.byTestId("ticket-subject").inputValue(), "");
      assert.equal(await t.byTestId("ticket-department").inputValue(), "11");
      assert.equal(await t.byTestId("ticket-attachment").count(), 0);
      assert.equal(await focusedTestId(t), "ticket-name");
    },
  },
  {
    name: "ticket form: a file over the cap is refused with its name and the limit, and never read or sent",
    backend: {
      forms_options: { resolve: { ...DEFAULT_FORM_OPTIONS, maxAttachmentBytes: 1024 } },
      forms_stage_attachment: { resolve: staged(1) },
    },
    async run(t) {
      await openTicketForm(t);
      await t.byTestId("ticket-files").setInputFiles({ name: "big.log", mimeType: "text/plain", buffer: Buffer.alloc(4096, 65) });
      const error = t.byTestId("ticket-attachments-error");
      await t.expectText(error, "“big.log” is 4 KB; each file can be at most 1 KB.");
      assert.equal(await t.byTestId("ticket-files").getAttribute("aria-invalid"), "true");
      assert.equal(await t.byTestId("ticket-attachment").count(), 0);
      assert.deepEqual(await argsOf(t, "forms_stage_attachment"), []);
    },
  },
  {
    name: "ticket form: field errors land next to their field with focus; Ctrl+Enter submits; nothing typed is lost",
    backend: {
      forms_submit_ticket: {
        resolveEach: [
          {
            itemId: null,
            state: null,
            ticketNumber: null,
            fieldErrors: [
              { field: "subject", message: "A ticket needs a subject." },
              { field: "email", message: "This is not an email address: ada@" },
              { field: "form", message: "Check the marked fields." },
            ],
            message: null,
          },
          {
            itemId: 9,
            state: "failed",
            ticketNumber: null,
            fieldErrors: [{ field: "phone", message: "Zoho Desk: the phone number is not valid." }],
            message: "Zoho Desk refused the ticket.",
          },
        ],
      },
      history_resend_ticket: { resolve: { itemId: 9, state: "queued", ticketNumber: null, fieldErrors: [], message: "Queued: Desk is not reachable; it will be sent when it is." } },
    },
    async run(t) {
      await openTicketForm(t);
      await t.byTestId("ticket-name").fill("Ada");
      await t.byTestId("ticket-email").fill("ada@");
      const description = t.byTestId("ticket-description");
      await description.fill("Line one\nline two");
      await description.focus();
      await t.page.keyboard.press("Control+Enter");

      const emailError = t.byTestId("ticket-email-error");
      await t.expectText(emailError, "This is not an email address: ada@");
      await t.expectText(t.byTestId("ticket-subject-error"), "A ticket needs a subject.");
      await t.expectText(t.byTestId("ticket-form-errors"), "Check the marked fields.");
      const email = t.byTestId("ticket-email");
      assert.equal(await email.getAttribute("aria-invalid"), "true");
      assert.match((await email.getAttribute("aria-describedby")) ?? "", /\bticket-email-error\b/);
      assert.equal(await emailError.getAttribute("id"), "ticket-email-error");
      assert.equal(await focusedTestId(t), "ticket-email", "the first invalid field has the focus");
      assert.equal(await t.byTestId("ticket-name").getAttribute("aria-invalid"), null);
      // Nothing typed is lost.
      assert.equal(await email.inputValue(), "ada@");
      assert.equal(await description.inputValue(), "Line one\nline two");
      assert.equal((await argsOf(t, "forms_submit_ticket")).length, 1);

      // Correcting a field takes its error away.
      await email.fill("ada@example.com");
      assert.equal(await t.byTestId("ticket-email-error").count(), 0);
      assert.equal(await email.getAttribute("aria-invalid"), null);

      // Desk's own errors, mapped onto a field, after the item was queued: failed, focus on the field.
      await t.byTestId("ticket-subject").fill("Printer");
      await t.byTestId("ticket-phone").fill("12");
      await t.byTestId("ticket-subject").focus();
      await t.page.keyboard.press("Control+Enter");
      const result = t.byTestId("ticket-result");
      await result.waitFor();
      assert.equal(await result.getAttribute("data-state"), "failed");
      await t.expectText(t.byTestId("ticket-result-message"), "Zoho Desk refused the ticket.");
      await t.expectText(t.byTestId("ticket-phone-error"), "the phone number is not valid");
      assert.equal(await focusedTestId(t), "ticket-phone");
      assert.equal(await t.byTestId("ticket-subject").inputValue(), "Printer");

      // Sent again, it corrects the queued item instead of making a second one.
      await t.byTestId("ticket-phone").fill("+44 20 7946 0000");
      await t.byTestId("ticket-phone").press("Control+Enter");
      await t.expectText(t.byTestId("ticket-result-message"), "Queued: Desk is not reachable");
      assert.equal(await t.byTestId("ticket-result").getAttribute("data-state"), "queued");
      assert.equal((await argsOf(t, "forms_submit_ticket")).length, 2);
      const resend = await argsOf(t, "history_resend_ticket");
      assert.equal(resend.length, 1);
      assert.deepEqual(/** @type {{ id: number }} */ (resend[0]).id, 9);
      await t.byTestId("ticket-another").waitFor();
    },
  },
  {
    name: "ticket form: a failing command keeps the form as typed and shows the error",
    backend: {
      forms_submit_ticket: { reject: { kind: "internal", message: "The outbox could not be written." } },
    },
    async run(t) {
      await openTicketForm(t);
      await t.byTestId("ticket-subject").fill("<b>kept</b>");
      await t.byTestId("ticket-submit").click();
      await t.expectText(t.byTestId("ticket-error-message"), "The outbox could not be written.");
      assert.equal(await t.byTestId("ticket-subject").inputValue(), "<b>kept</b>");
      assert.equal(await t.byTestId("ticket-result").count(), 0);
    },
  },
  {
    name: "callback form: plain words are echoed as an absolute time with the zone; the picker fills the field; Ctrl+Enter books it",
    backend: {
      forms_parse_when: {
        resolveEach: [
          { at: "2026-11-30T14:00:00Z", display: "Monday 30 November 2026, 14:00 (Europe/London)", error: null },
          { at: null, display: null, error: "“tomorow 2pm” is not a time I understand. Try “tomorrow 2pm”." },
          { at: "2026-12-01T09:30:00Z", display: "Tuesday 1 December 2026, 09:30 (Europe/London)", error: null },
        ],
      },
      forms_submit_callback: {
        resolve: { itemId: 12, state: "queued", ticketNumber: null, fieldErrors: [], message: "Queued: it will be sent when Desk is reachable." },
      },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.byTestId("nav-new-callback").click();
      await t.byTestId("callback-form").waitFor();
      await t.byTestId("callback-name").fill("Ada Lovelace");
      await t.byTestId("callback-phone").fill("+44 20 7946 0000");

      const when = t.byTestId("callback-when");
      await when.click();
      await when.pressSequentially("tomorrow 2pm");
      const echo = t.byTestId("callback-when-echo");
      await t.expectText(echo, "Monday 30 November 2026, 14:00 (Europe/London)");
      assert.deepEqual(await argsOf(t, "forms_parse_when"), [{ text: "tomorrow 2pm" }], "asked once, after the pause");
      assert.equal(await when.getAttribute("aria-invalid"), null);

      await when.fill("tomorow 2pm");
      await t.expectText(t.byTestId("callback-when-error"), "is not a time I understand");
      assert.equal(await when.getAttribute("aria-invalid"), "true");
      assert.match((await when.getAttribute("aria-describedby")) ?? "", /callback-when-error/);

      await t.byTestId("callback-when-picker").fill("2026-12-01T09:30");
      assert.equal(await when.inputValue(), "2026-12-01T09:30");
      await t.expectText(echo, "Tuesday 1 December 2026, 09:30 (Europe/London)");
      assert.equal(await t.byTestId("callback-when-error").count(), 0);

      await t.byTestId("callback-note").fill("Ask for the invoice");
      await t.expectText(t.byTestId("callback-submit"), "Ctrl+Enter");
      await t.byTestId("callback-note").press("Control+Enter");
      const result = t.byTestId("callback-result");
      await result.waitFor();
      assert.equal(await result.getAttribute("data-state"), "queued");
      await t.expectText(t.byTestId("callback-result-message"), "Queued: it will be sent when Desk is reachable.");
      assert.deepEqual(await argsOf(t, "forms_submit_callback"), [
        { input: { name: "Ada Lovelace", phone: "+44 20 7946 0000", email: "", when: "2026-12-01T09:30", note: "Ask for the invoice" } },
      ]);
      await t.byTestId("callback-another").click();
      assert.equal(await t.byTestId("callback-name").inputValue(), "");
      assert.equal(await t.byTestId("callback-when").inputValue(), "");
    },
  },
  {
    name: "ticket form: leaving a contact field closes its suggestions, and a late answer does not open them under another field",
    backend: {
      forms_contact_suggestions: { resolve: [ADA] },
    },
    async run(t) {
      await openTicketForm(t);
      await t.byTestId("ticket-email").fill("ada@ex");
      // Away before the typing pause has passed: that question is never asked.
      await t.byTestId("ticket-email").press("Tab");
      await t.page.waitForTimeout(700);
      assert.equal(await t.byTestId("ticket-email-suggestions").isHidden(), true);
      assert.deepEqual(await argsOf(t, "forms_contact_suggestions"), []);
      // Asked, shown, then left: closed.
      await t.byTestId("ticket-phone").fill("+44 20 7946");
      await t.byTestId("ticket-phone-suggestion").first().waitFor();
      await t.byTestId("ticket-phone").press("Tab");
      assert.equal(await t.byTestId("ticket-phone-suggestions").isHidden(), true);
      assert.equal(await t.byTestId("ticket-email-suggestions").isHidden(), true);
    },
  },
];
