import { describe, expect, it } from "vitest";

import {
  MAX_INPUT_CHARS,
  canSend,
  charCount,
  composerKeyAction,
  deliveryLabel,
  lastMessageId,
  messageTime,
  overlongNotice,
} from "../../src/lib/chat";

describe("composer keys", () => {
  it("sends on Enter and types a new line on Shift+Enter", () => {
    expect(composerKeyAction({ key: "Enter", shiftKey: false })).toBe("send");
    expect(composerKeyAction({ key: "Enter", shiftKey: true })).toBe("type");
    expect(composerKeyAction({ key: "a", shiftKey: false })).toBe("type");
  });

  it("does not send while an input method composes, or with a modifier", () => {
    expect(composerKeyAction({ key: "Enter", shiftKey: false, isComposing: true })).toBe("type");
    expect(composerKeyAction({ key: "Enter", shiftKey: false, ctrlKey: true })).toBe("type");
  });
});

describe("overlong input", () => {
  it("counts emoji as whole characters, as the backend does", () => {
    expect(charCount("👍🏽")).toBe(2);
    expect(charCount("שלום")).toBe(4);
  });

  it("warns only past the limit", () => {
    expect(overlongNotice("a".repeat(MAX_INPUT_CHARS))).toBeNull();
    expect(overlongNotice("a".repeat(MAX_INPUT_CHARS + 1))).toContain("first 4,000");
  });

  it("sends nothing blank", () => {
    expect(canSend("  \n ")).toBe(false);
    expect(canSend(" hi ")).toBe(true);
  });
});

describe("display helpers", () => {
  it("names every delivery state", () => {
    expect(["queued", "sending", "sent", "failed"].map((s) => deliveryLabel(s as never))).toEqual([
      "Queued",
      "Sending",
      "Sent",
      "Failed",
    ]);
  });

  it("finds the last message and reads times", () => {
    expect(lastMessageId([])).toBeNull();
    expect(messageTime("not a date")).toBe("");
    expect(messageTime("2026-11-29T13:05:00Z", "en-GB")).toMatch(/\d{2}:\d{2}/);
  });
});
