// @ts-check
import assert from "node:assert/strict";

import { DEFAULT_CHAT_VIEW } from "../lib/harness.mjs";

/** @typedef {{ id: number, role: string, text: string, at?: string, quickReplies?: object[], summary?: object | null, submission?: object | null }} Msg */

/** @param {Msg} m */
function msg(m) {
  return { at: "2026-11-29T10:00:00Z", quickReplies: [], summary: null, submission: null, ...m };
}

/**
 * @param {Msg[]} messages
 * @param {{ quickReplies?: object[], typing?: boolean, connected?: boolean }} [rest]
 */
function view(messages, rest = {}) {
  return { messages: messages.map(msg), quickReplies: [], typing: false, connected: true, ...rest };
}

const GREETING = DEFAULT_CHAT_VIEW.messages[0]?.text ?? "";

/** @param {"queued" | "sending" | "sent" | "failed"} state @param {string | null} number */
function submission(state, number = null) {
  return { kind: "ticket", state, ticketNumber: number, error: null };
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "chat: a fresh chat greets with quick replies in a polite live log",
    async run(t) {
      await t.page.goto(t.url);
      const log = t.byTestId("chat-log");
      await t.expectText(log, GREETING);
      assert.equal(await log.getAttribute("role"), "log");
      assert.equal(await log.getAttribute("aria-live"), "polite");
      await t.expectText(t.byTestId("quick-reply-create_ticket"), "Create a ticket", { exact: true });
      const calls = (await t.backendCalls()).map((c) => c.command).filter((c) => c.startsWith("chat_"));
      assert.deepEqual(calls, ["chat_restore", "chat_subscribe", "chat_start"]);
      // The subscription hands the backend a Channel, not a plain value.
      const subscribe = (await t.backendCalls()).find((c) => c.command === "chat_subscribe");
      assert.match(JSON.stringify(subscribe?.args), /__CHANNEL__:\d+/);
    },
  },
  {
    name: "chat: Enter sends, Shift+Enter adds a line, the typing indicator shows while the call is in flight",
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("chat-log"), GREETING);
      await t.setBackend({
        chat_say: {
          resolve: view([
            { id: 1, role: "bot", text: GREETING },
            { id: 2, role: "person", text: "first line\nsecond line" },
            { id: 3, role: "bot", text: "What is your name?" },
          ]),
          delayMs: 400,
        },
      });
      const input = t.byTestId("chat-input");
      await input.click();
      await input.pressSequentially("first line");
      await t.page.keyboard.press("Shift+Enter");
      await input.pressSequentially("second line");
      assert.equal(await input.inputValue(), "first line\nsecond line");
      await t.page.keyboard.press("Enter");
      await t.byTestId("chat-typing").waitFor();
      assert.equal(await input.inputValue(), "", "the composer is emptied at once");
      await t.expectText(t.byTestId("chat-log"), "What is your name?");
      await t.byTestId("chat-typing").waitFor({ state: "detached" });
      const say = (await t.backendCalls()).filter((c) => c.command === "chat_say");
      assert.deepEqual(say.map((c) => c.args), [{ text: "first line\nsecond line" }]);
      // Focus stays in the composer: the next answer can be typed at once.
      assert.equal(await t.page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "chat-input");
    },
  },
  {
    name: "chat: text from people and Desk is never HTML; emoji and RTL stay intact with dir=auto",
    backend: {
      chat_start: {
        resolve: view([
          { id: 1, role: "person", text: "<img src=x onerror=alert(1)> <b>bold</b>" },
          { id: 2, role: "person", text: "שלום 👋🏽 مرحبا" },
        ]),
      },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("chat-log"), "<b>bold</b>");
      assert.equal(await t.byTestId("chat-log").locator("img, b").count(), 0);
      const texts = t.byTestId("chat-message-text");
      assert.equal(await texts.nth(1).textContent(), "שלום 👋🏽 مرحبا");
      assert.equal(await texts.nth(1).getAttribute("dir"), "auto");
    },
  },
  {
    name: "chat: quick replies are buttons, usable by keyboard alone",
    async run(t) {
      await t.page.goto(t.url);
      await t.setBackend({
        chat_choose: {
          resolve: view([
            { id: 1, role: "bot", text: GREETING },
            { id: 2, role: "person", text: "Create a ticket" },
            { id: 3, role: "bot", text: "Sure. What is your name?" },
          ]),
        },
      });
      const button = t.byTestId("quick-reply-create_ticket");
      await button.waitFor();
      await button.focus();
      await t.page.keyboard.press("Enter");
      await t.expectText(t.byTestId("chat-log"), "What is your name?");
      const choose = (await t.backendCalls()).filter((c) => c.command === "chat_choose");
      assert.deepEqual(choose.map((c) => c.args), [{ id: "create_ticket" }]);
      assert.equal(await t.byTestId("quick-reply-create_ticket").count(), 0, "answered buttons go away");
      // Tab reaches the composer and the send button.
      await t.byTestId("chat-input").focus();
      await t.page.keyboard.type("Ada");
      await t.page.keyboard.press("Tab");
      assert.equal(await t.page.evaluate(() => document.activeElement?.getAttribute("data-testid")), "chat-send");
    },
  },
  {
    name: "chat: the summary card is a definition list",
    backend: {
      chat_start: {
        resolve: view(
          [
            {
              id: 1,
              role: "bot",
              text: "Here is your ticket\nName: Ada Lovelace",
              summary: {
                title: "Here is your ticket",
                fields: [
                  { label: "Name", value: "Ada Lovelace" },
                  { label: "Email", value: "ada@example.com" },
                  { label: "Issue", value: "The printer\nis on fire" },
                ],
              },
            },
          ],
          { quickReplies: [{ id: "submit", label: "Submit" }, { id: "edit", label: "Edit" }, { id: "cancel", label: "Cancel" }] },
        ),
      },
    },
    async run(t) {
      await t.page.goto(t.url);
      const card = t.byTestId("chat-summary");
      await card.waitFor();
      assert.deepEqual(await card.locator("dt").allTextContents(), ["Name", "Email", "Issue"]);
      assert.deepEqual(await card.locator("dd").allTextContents(), ["Ada Lovelace", "ada@example.com", "The printer\nis on fire"]);
      await t.byTestId("quick-reply-submit").waitFor();
    },
  },
  {
    name: "chat: a queued submission turns to sent with its ticket number when the backend pushes it",
    backend: {
      chat_start: {
        resolve: view([
          { id: 1, role: "bot", text: "Summary" },
          { id: 2, role: "system", text: "Ticket queued: it will be sent when our help desk can be reached", submission: submission("queued") },
          { id: 3, role: "bot", text: "I couldn't reach our help desk right now; your ticket is saved and will be sent." },
        ], { connected: false }),
      },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("submission-state"), "Queued", { exact: true });
      await t.byTestId("chat-not-connected").waitFor();
      assert.equal(await t.byTestId("ticket-number").count(), 0);
      const pushed = await t.page.evaluate(
        (v) => window.__DESK_CHAT_PUSH__?.("chat_subscribe", v) ?? false,
        view([
          { id: 1, role: "bot", text: "Summary" },
          { id: 2, role: "system", text: "Ticket sent: #1042", submission: submission("sent", "1042") },
          { id: 3, role: "bot", text: "I couldn't reach our help desk right now; your ticket is saved and will be sent." },
          { id: 4, role: "bot", text: "Good news: your ticket was created. Its number is #1042." },
        ]),
      );
      assert.equal(pushed, true, "the app subscribed through a Channel");
      await t.expectText(t.byTestId("submission-state"), "Sent", { exact: true });
      await t.expectText(t.byTestId("ticket-number"), "1042", { exact: true });
      await t.expectText(t.byTestId("chat-log"), "Good news");
      assert.equal(await t.byTestId("chat-submission").getAttribute("data-state"), "sent");
    },
  },
  {
    name: "chat: sending and failed states are shown",
    backend: {
      chat_start: {
        resolve: view([
          { id: 1, role: "system", text: "Ticket: sending", submission: submission("sending") },
          {
            id: 2,
            role: "system",
            text: "Ticket not accepted by our help desk",
            submission: { kind: "ticket", state: "failed", ticketNumber: null, error: "Desk says: the email is not valid." },
          },
        ]),
      },
    },
    async run(t) {
      await t.page.goto(t.url);
      const states = t.byTestId("submission-state");
      await t.expectText(states.first(), "Sending", { exact: true });
      assert.equal(await states.nth(1).textContent(), "Failed");
      await t.expectText(t.byTestId("submission-error"), "the email is not valid");
    },
  },
  {
    name: "chat: the conversation is restored on mount; New conversation starts over",
    backend: {
      chat_restore: { resolve: view([{ id: 7, role: "person", text: "before the restart" }]) },
      chat_start: { resolve: view([{ id: 7, role: "person", text: "before the restart" }]), delayMs: 300 },
      chat_new: { resolve: DEFAULT_CHAT_VIEW },
    },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("chat-log"), "before the restart");
      await t.byTestId("chat-typing").waitFor({ state: "detached" });
      await t.byTestId("chat-new").click();
      await t.expectText(t.byTestId("chat-log"), GREETING);
      assert.equal(await t.byTestId("chat-log").getByText("before the restart").count(), 0);
    },
  },
  {
    name: "chat: overlong input shows a notice; a failed send gives the text back",
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("chat-log"), GREETING);
      await t.byTestId("chat-input").fill("é".repeat(4001));
      await t.expectText(t.byTestId("chat-input-notice"), "only the first 4,000 will be kept");
      await t.byTestId("chat-input").fill("hello");
      assert.equal(await t.byTestId("chat-input-notice").count(), 0);
      await t.setBackend({ chat_say: { reject: { kind: "internal", message: "Something went wrong inside Desk Chat." } } });
      await t.byTestId("chat-send").click();
      await t.expectText(t.byTestId("chat-error-message"), "Something went wrong inside Desk Chat.");
      assert.equal(await t.byTestId("chat-input").inputValue(), "hello");
    },
  },
  {
    name: "chat: follows dark mode",
    context: { colorScheme: "dark" },
    async run(t) {
      await t.page.goto(t.url);
      await t.expectText(t.byTestId("chat-log"), GREETING);
      const bg = await t.byTestId("chat-log").evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.equal(bg, "rgb(20, 23, 28)", "the dark sunken surface");
    },
  },
];
