import { describe, expect, it } from "vitest";

import { ABOUT_VIEW, DEFAULT_VIEW, PRIMARY_VIEWS } from "../../src/lib/views";

describe("navigation", () => {
  it("offers the uses in order, then About", () => {
    expect(PRIMARY_VIEWS.map((item) => item.label)).toEqual(["Chat", "New ticket", "New callback", "History", "Setup"]);
    expect(ABOUT_VIEW.label).toBe("About");
  });

  it("opens on Chat", () => {
    expect(DEFAULT_VIEW).toBe("chat");
  });
});
