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

/** Channels the app handed to a command (e.g. `chat_subscribe`'s `onUpdate`), by command. */
const channels = new Map<string, { id: number; next: number }>();

/**
 * Sends `message` down the channel the app gave `command`, the way Tauri's Rust side
 * does: through the channel's callback, with a running index.
 */
window.__DESK_CHAT_PUSH__ = (command: string, message: unknown): boolean => {
  const channel = channels.get(command);
  if (channel === undefined) return false;
  window.__TAURI_INTERNALS__.runCallback(channel.id, { index: channel.next, message });
  channel.next += 1;
  return true;
};

function rememberChannels(command: string, args: unknown): void {
  if (typeof args !== "object" || args === null) return;
  for (const value of Object.values(args as Record<string, unknown>)) {
    // A Channel serialises as "__CHANNEL__:<id>" (its toJSON).
    const wire = typeof value === "object" && value !== null ? JSON.stringify(value) : "";
    const match = /^"__CHANNEL__:(\d+)"$/.exec(wire);
    if (match?.[1] !== undefined) channels.set(command, { id: Number(match[1]), next: 0 });
  }
}

/**
 * What a call's arguments look like in the record: JSON as sent, except a raw binary
 * body (`forms_stage_attachment`), kept as its size, its first bytes as text and its headers.
 */
function recorded(args: unknown, headers: Record<string, string> | null): unknown {
  if (args instanceof Uint8Array || args instanceof ArrayBuffer) {
    const bytes = args instanceof Uint8Array ? args : new Uint8Array(args);
    return { binary: true, size: bytes.byteLength, text: new TextDecoder().decode(bytes.slice(0, 200)), headers };
  }
  return args === undefined ? null : JSON.parse(JSON.stringify(args));
}

// mockIPC does not hand the invoke options (headers) to its handler: they are kept here.
let lastHeaders: Record<string, string> | null = null;

mockIPC(async (command, args) => {
  calls.push({ command, args: recorded(args, lastHeaders) });
  lastHeaders = null;
  rememberChannels(command, args);
  const reply = window.__DESK_CHAT_BACKEND__?.[command];
  if (reply === undefined) {
    // How Tauri itself answers a command it does not know: a rejected string.
    throw `command ${command} not found`;
  }
  if (reply.delayMs !== undefined) await wait(reply.delayMs);
  if ("reject" in reply) throw reply.reject;
  if ("resolveEach" in reply) {
    // One answer per call, in order; the last one repeats.
    const index = calls.filter((c) => c.command === command).length - 1;
    return reply.resolveEach[Math.min(index, reply.resolveEach.length - 1)];
  }
  return reply.resolve;
});

const mockedInvoke = window.__TAURI_INTERNALS__.invoke;
window.__TAURI_INTERNALS__.invoke = (command, args, options) => {
  const headers = options?.headers;
  lastHeaders = headers === undefined ? null : Object.fromEntries(new Headers(headers).entries());
  return mockedInvoke(command, args, options);
};
