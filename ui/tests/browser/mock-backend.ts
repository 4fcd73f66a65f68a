/**
 * The fake Rust backend for the browser tests. Bundled to one script by run.mjs and
 * injected with `page.addInitScript`, so it runs before the app's own bundle: the app
 * is the unmodified production build, and its `invoke` lands in `mockIPC`'s handler.
 *
 * The test sets `window.__DESK_CHAT_BACKEND__` (command -> reply) before this runs and
 * may change it later from `page.evaluate`; every call is recorded in
 * `window.__DESK_CHAT_CALLS__`.
 */
import { mockIPC } from "@tauri-apps/api/mocks";

import type { BackendCall } from "./lib/page-globals";

const calls: BackendCall[] = [];
window.__DESK_CHAT_CALLS__ = calls;

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

mockIPC(async (command, args) => {
  calls.push({ command, args: args === undefined ? null : JSON.parse(JSON.stringify(args)) });
  const reply = window.__DESK_CHAT_BACKEND__?.[command];
  if (reply === undefined) {
    // How Tauri itself answers a command it does not know: a rejected string.
    throw `command ${command} not found`;
  }
  if (reply.delayMs !== undefined) await wait(reply.delayMs);
  if ("reject" in reply) throw reply.reject;
  return reply.resolve;
});
