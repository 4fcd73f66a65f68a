/**
 * The one door to the Rust backend. No other module imports `@tauri-apps/api`
 * (tests/unit/source-rules.test.ts enforces it), so the rest of the UI sees typed
 * functions that resolve with DTOs from `bindings/` or reject with a `CommandError`.
 */
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";

import type { AppInfo } from "./bindings/AppInfo";
import type { ConnectionStatus } from "./bindings/ConnectionStatus";
import { toCommandError } from "./lib/commandError";

export type { AppInfo } from "./bindings/AppInfo";
export type { CommandError } from "./bindings/CommandError";
export type { ConnectionStatus } from "./bindings/ConnectionStatus";
export type { ErrorKind } from "./bindings/ErrorKind";

/** Calls a command; a rejection is always a `CommandError`, whatever the backend threw. */
async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error: unknown) {
    // Rejecting with a plain `CommandError` (not an Error) is the contract of this module.
    throw toCommandError(error);
  }
}

/** Name, versions and the folders the app writes to. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** Whether Zoho Desk is set up, connected, or needs the admin to reconnect. */
export function connectionStatus(): Promise<ConnectionStatus> {
  return call<ConnectionStatus>("connection_status");
}
