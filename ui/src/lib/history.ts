/** Pure helpers of the history view (no IPC, no DOM): tested with vitest. */
import type { DeliveryStateDto } from "../bindings/DeliveryStateDto";
import type { HistoryDto } from "../bindings/HistoryDto";
import type { HistoryItemDto } from "../bindings/HistoryItemDto";

export const DELIVERY_STATES: readonly DeliveryStateDto[] = ["queued", "sending", "sent", "failed"];

/** An icon (decorative) and the words: the state is never told by colour alone. */
export function deliveryBadge(state: DeliveryStateDto): { icon: string; label: string } {
  switch (state) {
    case "queued":
      return { icon: "◷", label: "Queued" };
    case "sending":
      return { icon: "↻", label: "Sending" };
    case "sent":
      return { icon: "✓", label: "Sent" };
    case "failed":
      return { icon: "✕", label: "Failed" };
  }
}

/** Newest first; items made in the same instant by id, newest first. */
export function newestFirst(items: readonly HistoryItemDto[]): HistoryItemDto[] {
  return [...items].sort((a, b) => {
    const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
    return Number.isNaN(byTime) || byTime === 0 ? b.id - a.id : byTime;
  });
}

function withCount(counts: HistoryDto["counts"], state: DeliveryStateDto, delta: number): HistoryDto["counts"] {
  return { ...counts, [state]: Math.max(0, counts[state] + delta) };
}

/**
 * An item changed in the background: its row is replaced and the counts follow.
 * An item not listed yet is added only when no search narrows the list.
 */
export function applyUpdate(history: HistoryDto, item: HistoryItemDto, searching: boolean): HistoryDto {
  const old = history.items.find((existing) => existing.id === item.id);
  if (old === undefined) {
    if (searching) return history;
    return {
      ...history,
      items: newestFirst([item, ...history.items]),
      counts: withCount(history.counts, item.deliveryState, 1),
    };
  }
  const counts = withCount(withCount(history.counts, old.deliveryState, -1), item.deliveryState, 1);
  return { ...history, items: history.items.map((existing) => (existing.id === item.id ? item : existing)), counts };
}

/** A discarded item leaves the list and the counts. */
export function removeItem(history: HistoryDto, id: number): HistoryDto {
  const old = history.items.find((existing) => existing.id === id);
  if (old === undefined) return history;
  return {
    ...history,
    items: history.items.filter((existing) => existing.id !== id),
    counts: withCount(history.counts, old.deliveryState, -1),
  };
}

/** "12 Nov 2026, 14:05" in the person's locale and zone; the raw text when unreadable. */
export function createdLabel(at: string, locale?: string, timeZone?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
  if (timeZone !== undefined) options.timeZone = timeZone;
  return date.toLocaleString(locale, options);
}

/** Who the item is for: name and email as known. */
export function contactLabel(item: Pick<HistoryItemDto, "contactName" | "contactEmail">): string {
  const parts = [item.contactName, item.contactEmail].filter((p): p is string => p !== null && p.trim() !== "");
  return parts.length === 0 ? "—" : parts.join(" · ");
}

/** The search box's text as the backend takes it: null for nothing. */
export function searchArgument(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === "" ? null : trimmed;
}
