import { beforeEach, describe, expect, it, vi } from "vitest";

// The real `invoke` talks to `window.__TAURI_INTERNALS__`; here it is replaced so that
// ipc.ts is tested in plain Node, including how it normalises rejections.
const invoke = vi.fn<(command: string, args?: unknown) => Promise<unknown>>();
vi.mock("@tauri-apps/api/core", () => ({ invoke }));

const { appInfo, connectionStatus } = await import("../../src/ipc");

beforeEach(() => {
  invoke.mockReset();
});

describe("appInfo", () => {
  it("calls app_info and resolves with what the backend sent", async () => {
    const info = {
      name: "Desk Chat",
      version: "0.1.0",
      tauriVersion: "2.12.5",
      identifier: "com.deskchat.desktop",
      dataDir: "/home/a/.local/share/com.deskchat.desktop",
      logDir: "/home/a/.local/share/com.deskchat.desktop/logs",
    };
    invoke.mockResolvedValue(info);

    await expect(appInfo()).resolves.toEqual(info);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(invoke.mock.calls[0]?.[0]).toBe("app_info");
  });

  it("rejects with the backend's CommandError unchanged", async () => {
    invoke.mockRejectedValue({ kind: "internal", message: "The log folder cannot be created" });

    await expect(appInfo()).rejects.toEqual({ kind: "internal", message: "The log folder cannot be created" });
  });

  it("rejects with an internal CommandError when Tauri rejects with a string", async () => {
    invoke.mockRejectedValue("app_info not allowed by ACL");

    await expect(appInfo()).rejects.toEqual({ kind: "internal", message: "app_info not allowed by ACL" });
  });

  it("rejects with an internal CommandError when there is no backend at all", async () => {
    invoke.mockImplementation(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'invoke')");
    });

    const error: unknown = await appInfo().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "internal" });
    expect((error as { message: string }).message).not.toContain("undefined");
  });
});

describe("connectionStatus", () => {
  it("calls connection_status and resolves with the tagged state", async () => {
    invoke.mockResolvedValue({ state: "connected", orgName: "Acme", dataCentre: "eu", sandbox: true });

    await expect(connectionStatus()).resolves.toEqual({
      state: "connected",
      orgName: "Acme",
      dataCentre: "eu",
      sandbox: true,
    });
    expect(invoke.mock.calls[0]?.[0]).toBe("connection_status");
  });

  it("keeps the kind of a backend error", async () => {
    invoke.mockRejectedValue({ kind: "auth_expired", message: "Reconnect to Zoho Desk" });

    await expect(connectionStatus()).rejects.toEqual({ kind: "auth_expired", message: "Reconnect to Zoho Desk" });
  });
});
