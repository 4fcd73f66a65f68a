import { describe, expect, it } from "vitest";

import { settle } from "../../src/lib/loadable";

describe("settle", () => {
  it("wraps a value as ready", async () => {
    await expect(settle(Promise.resolve(3))).resolves.toEqual({ state: "ready", value: 3 });
  });

  it("turns a rejection into a failed state with a CommandError, never rejecting", async () => {
    await expect(settle(Promise.reject(new Error("boom")))).resolves.toMatchObject({
      state: "failed",
      error: { kind: "internal" },
    });
    await expect(settle(Promise.reject({ kind: "offline", message: "Offline" }))).resolves.toEqual({
      state: "failed",
      error: { kind: "offline", message: "Offline" },
    });
  });
});
