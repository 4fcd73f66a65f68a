import type { CommandError } from "../bindings/CommandError";
import type { ErrorKind } from "../bindings/ErrorKind";

/** Every kind the backend may send; anything else is treated as `internal`. */
export const ERROR_KINDS: readonly ErrorKind[] = [
  "auth_required",
  "auth_expired",
  "validation",
  "rate_limited",
  "offline",
  "not_found",
  "internal",
];

/** Shown when a failure carries nothing a person could act on. */
export const UNEXPECTED_ERROR_MESSAGE =
  "Something went wrong inside Desk Chat. Please try again; if it keeps happening, restart the app.";

/** Long enough for any sentence the backend writes, short enough not to flood the window. */
const MAX_MESSAGE_LENGTH = 500;

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === "string" && (ERROR_KINDS as readonly string[]).includes(value);
}

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return isErrorKind(candidate["kind"]) && typeof candidate["message"] === "string";
}

function plainMessage(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") return UNEXPECTED_ERROR_MESSAGE;
  return trimmed.length > MAX_MESSAGE_LENGTH ? `${trimmed.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : trimmed;
}

/**
 * Turns whatever a rejected IPC call produced into a `CommandError`.
 *
 * - `{ kind, message }` from our own commands is kept (only those two fields).
 *   An unknown `kind` (a newer backend, say) becomes `internal` but keeps its message.
 * - A string (how Tauri itself rejects: unknown command, ACL denial, bad arguments)
 *   becomes `internal` with that string as the message.
 * - Anything else (a JS exception, `undefined`) becomes `internal` with a plain,
 *   generic message: stack traces and property paths are not for the user.
 */
export function toCommandError(value: unknown): CommandError {
  if (isCommandError(value)) {
    return { kind: value.kind, message: plainMessage(value.message) };
  }
  if (typeof value === "object" && value !== null) {
    const message = (value as Record<string, unknown>)["message"];
    if (typeof message === "string" && "kind" in value && !(value instanceof Error)) {
      return { kind: "internal", message: plainMessage(message) };
    }
  }
  if (typeof value === "string") {
    return { kind: "internal", message: plainMessage(value) };
  }
  return { kind: "internal", message: UNEXPECTED_ERROR_MESSAGE };
}
