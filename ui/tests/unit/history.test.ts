import { describe, expect, it } from "vitest";

import type { HistoryDto } from "../../src/bindings/HistoryDto";
import type { HistoryItemDto } from "../../src/bindings/HistoryItemDto";
import {
  applyUpdate,
  contactLabel,
  createdLabel,
  deliveryBadge,
  newestFirst,
  removeItem,
  searchArgument,
} from "../../src/lib/history";

function item(id: number, fields: Partial<HistoryItemDto> = {}): HistoryItemDto {
  return {
    id,
    kind: "ticket",
    ticketNumber: null,
    subject: `Item ${id}`,
    departmentId: "11",
    departmentName: "Support",
    contactName: null,
    contactEmail: null,
    createdAt: "2026-11-29T10:00:00Z",
    deliveredAt: null,
    deliveryState: "queued",
    deskStatus: null,
    statusCheckedAt: null,
    hasWebUrl: false,
    lastError: null,
    fieldErrors: [],
    attempts: 0,
    nextAttemptAt: null,
    attachments: [],
    editable: true,
    ...fields,
  };
}

function list(items: HistoryItemDto[]): HistoryDto {
  const counts = { queued: 0, sending: 0, sent: 0, failed: 0 };
  for (const i of items) counts[i.deliveryState] += 1;
  return { items, counts, refreshed: 0, refreshError: null };
}

describe("history rows", () => {
  it("lists newest first, then by id", () => {
    const sorted = newestFirst([
      item(1, { createdAt: "2026-11-27T09:00:00Z" }),
      item(2, { createdAt: "2026-11-29T09:00:00Z" }),
      item(3, { createdAt: "2026-11-29T09:00:00Z" }),
    ]);
    expect(sorted.map((i) => i.id)).toEqual([3, 2, 1]);
  });

  it("tells each state with an icon and words", () => {
    expect(deliveryBadge("sent")).toEqual({ icon: "✓", label: "Sent" });
    expect(deliveryBadge("failed").label).toBe("Failed");
  });

  it("names the contact by what is known", () => {
    expect(contactLabel({ contactName: "Ada", contactEmail: "ada@example.com" })).toBe("Ada · ada@example.com");
    expect(contactLabel({ contactName: null, contactEmail: " " })).toBe("—");
  });

  it("writes the created time readably in the given zone", () => {
    const label = createdLabel("2026-11-29T10:05:00Z", "en-GB", "Europe/London");
    expect(label).toContain("29 Nov 2026");
    expect(label).toContain("10:05");
    expect(createdLabel("not a date")).toBe("not a date");
  });

  it("passes no search for an empty box", () => {
    expect(searchArgument("   ")).toBeNull();
    expect(searchArgument(" printer ")).toBe("printer");
  });
});

describe("live updates", () => {
  it("replace the changed row and move the counts", () => {
    const before = list([item(1), item(2, { deliveryState: "failed" })]);
    const after = applyUpdate(before, item(2, { deliveryState: "sent", ticketNumber: "1042" }), false);
    expect(after.items.find((i) => i.id === 2)?.ticketNumber).toBe("1042");
    expect(after.counts).toEqual({ queued: 1, sending: 0, sent: 1, failed: 0 });
    expect(before.counts.failed).toBe(1);
  });

  it("add an item not listed yet, unless a search narrows the list", () => {
    const before = list([item(1, { createdAt: "2026-11-28T10:00:00Z" })]);
    const fresh = item(5, { createdAt: "2026-11-29T10:00:00Z" });
    expect(applyUpdate(before, fresh, false).items.map((i) => i.id)).toEqual([5, 1]);
    expect(applyUpdate(before, fresh, false).counts.queued).toBe(2);
    expect(applyUpdate(before, fresh, true)).toBe(before);
  });

  it("remove a discarded item from the list and the counts", () => {
    const after = removeItem(list([item(1), item(2)]), 1);
    expect(after.items.map((i) => i.id)).toEqual([2]);
    expect(after.counts.queued).toBe(1);
    expect(removeItem(after, 99)).toBe(after);
  });
});
