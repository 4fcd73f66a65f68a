import { describe, expect, it } from "vitest";

import {
  clientIdProblem,
  clientSecretProblem,
  dataCentreOption,
  parsePort,
  redirectUri,
  stepNumber,
} from "../../src/lib/setupWizard";

describe("setup wizard helpers", () => {
  it("builds the redirect URI on localhost with the chosen port", () => {
    expect(redirectUri(8000)).toBe("http://localhost:8000/callback");
    expect(redirectUri(9123)).toBe("http://localhost:9123/callback");
  });

  it("accepts only real TCP ports", () => {
    expect(parsePort(" 8000 ")).toBe(8000);
    expect(parsePort("65535")).toBe(65535);
    for (const bad of ["", "0", "65536", "80a", "-1", "8.0"]) expect(parsePort(bad)).toBeNull();
  });

  it("checks the client id like the backend does, after trimming", () => {
    expect(clientIdProblem("  1000.DESKSIMDEVCLIENT0000000000000 \n")).toBeNull();
    expect(clientIdProblem("")).toMatch(/Paste/);
    expect(clientIdProblem("2000.ABCDEFGHIJKL")).toMatch(/1000\./);
    expect(clientIdProblem("1000.ABC")).toMatch(/too short/);
    expect(clientIdProblem("1000.ABC DEF GHI JKL")).toMatch(/only letters and digits/);
  });

  it("checks the client secret, after trimming", () => {
    expect(clientSecretProblem("\t0d5e1c3a9f8b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c ")).toBeNull();
    expect(clientSecretProblem("short")).toMatch(/too short/);
    expect(clientSecretProblem("0123456789 abcdef")).toMatch(/no spaces/);
  });

  it("numbers the steps from one and names data centres with their host", () => {
    expect(stepNumber("dc")).toBe(1);
    expect(stepNumber("test")).toBe(7);
    expect(dataCentreOption({ name: "EU", accountsHost: "accounts.zoho.eu" })).toBe("EU (accounts.zoho.eu)");
  });
});
