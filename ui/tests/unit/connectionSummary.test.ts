import { describe, expect, it } from "vitest";

import { needsSetup, summariseConnection } from "../../src/lib/connectionSummary";
import { dataCentreLabel } from "../../src/lib/dataCentre";

describe("summariseConnection", () => {
  it("asks for setup when not connected", () => {
    expect(summariseConnection({ state: "not_connected" })).toEqual({
      tone: "neutral",
      headline: "Not connected: set up Zoho Desk",
      detail: null,
      sandbox: false,
      action: "setup",
    });
  });

  it("names the org and data centre when connected", () => {
    expect(summariseConnection({ state: "connected", orgName: "Acme", dataCentre: "eu", sandbox: false })).toEqual({
      tone: "ok",
      headline: "Connected to Acme",
      detail: "Data centre: EU",
      sandbox: false,
      action: null,
    });
  });

  it("carries the sandbox flag", () => {
    expect(summariseConnection({ state: "connected", orgName: "Acme", dataCentre: "us", sandbox: true }).sandbox).toBe(
      true,
    );
  });

  it("warns and offers to reconnect when access was lost", () => {
    expect(
      summariseConnection({ state: "reconnect_needed", orgName: "Acme", dataCentre: "in", sandbox: false }),
    ).toEqual({
      tone: "warning",
      headline: "Reconnect needed",
      detail: "Acme · Data centre: India",
      sandbox: false,
      action: "reconnect",
    });
  });
});

describe("needsSetup", () => {
  it("is false only when connected", () => {
    expect(needsSetup({ state: "not_connected" })).toBe(true);
    expect(needsSetup({ state: "reconnect_needed", orgName: "A", dataCentre: "eu", sandbox: false })).toBe(true);
    expect(needsSetup({ state: "connected", orgName: "A", dataCentre: "eu", sandbox: false })).toBe(false);
  });
});

describe("dataCentreLabel", () => {
  it("names the known data centres, whatever the case", () => {
    expect(dataCentreLabel("EU")).toBe("EU");
    expect(dataCentreLabel("com")).toBe("US");
    expect(dataCentreLabel("au")).toBe("Australia");
  });

  it("shows an unknown code as it is", () => {
    expect(dataCentreLabel("mars")).toBe("mars");
  });
});
