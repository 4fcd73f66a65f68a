import { describe, expect, it } from "vitest";

import { isCommandError, toCommandError, UNEXPECTED_ERROR_MESSAGE } from "../../src/lib/commandError";

describe("toCommandError", () => {
  it("keeps a command error from the backend as it is", () => {
    expect(toCommandError({ kind: "offline", message: "Zoho Desk cannot be reached. Check the network." })).toEqual({
      kind: "offline",
      message: "Zoho Desk cannot be reached. Check the network.",
    });
  });

  it("keeps only kind and message, dropping any other field", () => {
    expect(toCommandError({ kind: "validation", message: "Email is not valid", detail: "internal" })).toEqual({
      kind: "validation",
      message: "Email is not valid",
    });
  });

  it("treats an unknown kind as internal but keeps the message", () => {
    expect(toCommandError({ kind: "teapot", message: "I am a teapot" })).toEqual({
      kind: "internal",
      message: "I am a teapot",
    });
  });

  it("turns a plain string rejection (how Tauri itself fails) into internal with that text", () => {
    expect(toCommandError("command app_info not found")).toEqual({
      kind: "internal",
      message: "command app_info not found",
    });
  });

  it("hides JavaScript exceptions behind a plain message", () => {
    const error = toCommandError(new TypeError("Cannot read properties of undefined (reading 'invoke')"));
    expect(error).toEqual({ kind: "internal", message: UNEXPECTED_ERROR_MESSAGE });
  });

  it.each([undefined, null, 42, {}, { kind: "internal" }, { message: 7, kind: "internal" }, ["internal", "x"]])(
    "gives a plain internal error for %j",
    (value) => {
      expect(toCommandError(value)).toEqual({ kind: "internal", message: UNEXPECTED_ERROR_MESSAGE });
    },
  );

  it("replaces an empty message with the plain one", () => {
    expect(toCommandError({ kind: "not_found", message: "   " })).toEqual({
      kind: "not_found",
      message: UNEXPECTED_ERROR_MESSAGE,
    });
  });

  it("caps a runaway message", () => {
    const message = toCommandError("x".repeat(10_000)).message;
    expect(message.length).toBe(500);
    expect(message.endsWith("…")).toBe(true);
  });

  it("is idempotent", () => {
    const once = toCommandError("boom");
    expect(toCommandError(once)).toEqual(once);
  });
});

describe("isCommandError", () => {
  it("accepts every kind of the closed set", () => {
    for (const kind of ["auth_required", "auth_expired", "validation", "rate_limited", "offline", "not_found", "internal"]) {
      expect(isCommandError({ kind, message: "m" })).toBe(true);
    }
  });

  it("rejects anything else", () => {
    expect(isCommandError({ kind: "Internal", message: "m" })).toBe(false);
    expect(isCommandError("internal")).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });
});
