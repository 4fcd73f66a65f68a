import { beforeEach, describe, expect, it, vi } from "vitest";

// The real `invoke` talks to `window.__TAURI_INTERNALS__`; here it is replaced so that
// ipc.ts is tested in plain Node, including how it normalises rejections.
const invoke = vi.fn<(command: string, args?: unknown, options?: unknown) => Promise<unknown>>();
// A Channel stand-in: the real one registers its callback on `window`.
class FakeChannel<T> {
  constructor(public onmessage: (message: T) => void) {}
}
vi.mock("@tauri-apps/api/core", () => ({ invoke, Channel: FakeChannel }));

const {
  appInfo,
  connectionStatus,
  contactSuggestions,
  historyList,
  historyRefresh,
  historyResendTicket,
  historySubscribe,
  parseWhen,
  stageAttachment,
  unstageAttachment,
} = await import("../../src/ipc");

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

describe("issue 6 commands", () => {
  it("stages an attachment as a raw binary body with the name in a header", async () => {
    invoke.mockResolvedValue({ token: "t1", name: "Bericht März.txt", size: 3 });
    const bytes = new Uint8Array([1, 2, 3]);

    await expect(stageAttachment(bytes, "Bericht März.txt")).resolves.toEqual({ token: "t1", name: "Bericht März.txt", size: 3 });
    const [command, args, options] = invoke.mock.calls[0] ?? [];
    expect(command).toBe("forms_stage_attachment");
    expect(args).toBe(bytes);
    expect(options).toEqual({ headers: { "x-file-name": "Bericht%20M%C3%A4rz.txt" } });
  });

  it("passes camelCase arguments as the contract names them", async () => {
    invoke.mockResolvedValue(null);
    await historyList(null);
    await historyRefresh("printer");
    await historyResendTicket(4, {
      name: "",
      email: "a@b.c",
      phone: "",
      subject: "s",
      description: "",
      departmentId: null,
      priority: "Medium",
      status: "Open",
      channel: "Phone",
      dueDate: null,
      attachments: [],
    });
    await contactSuggestions("email", "ada");
    await parseWhen("tomorrow 2pm");
    await unstageAttachment("t1");
    expect(invoke.mock.calls.map((c) => [c[0], c[1]])).toEqual([
      ["history_list", { search: null }],
      ["history_refresh", { search: "printer" }],
      ["history_resend_ticket", { id: 4, input: expect.objectContaining({ email: "a@b.c", departmentId: null }) }],
      ["forms_contact_suggestions", { field: "email", query: "ada" }],
      ["forms_parse_when", { text: "tomorrow 2pm" }],
      ["forms_unstage_attachment", { token: "t1" }],
    ]);
  });

  it("subscribes to history updates through a Channel", async () => {
    invoke.mockResolvedValue(null);
    const seen: unknown[] = [];
    await historySubscribe((item) => seen.push(item));
    const [command, args] = invoke.mock.calls[0] ?? [];
    expect(command).toBe("history_subscribe");
    const channel = (args as { onUpdate: unknown }).onUpdate;
    expect(channel).toBeInstanceOf(FakeChannel);
    (channel as FakeChannel<unknown>).onmessage({ id: 1 });
    expect(seen).toEqual([{ id: 1 }]);
  });
});
