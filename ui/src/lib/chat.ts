/** Pure helpers of the chat view (no IPC, no DOM): tested with vitest. */
import type { ChatMessageDto } from "../bindings/ChatMessageDto";
import type { DeliveryStateDto } from "../bindings/DeliveryStateDto";

/** The backend keeps this many characters of one message (chat-engine's MAX_INPUT_CHARS). */
export const MAX_INPUT_CHARS = 4000;

/** What a key press in the composer does: Enter sends, Shift+Enter is a new line. */
export function composerKeyAction(key: {
  key: string;
  shiftKey: boolean;
  isComposing?: boolean;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
}): "send" | "type" {
  if (key.key !== "Enter" || key.shiftKey || key.isComposing === true) return "type";
  if (key.altKey === true || key.ctrlKey === true || key.metaKey === true) return "type";
  return "send";
}

/** Characters as the backend counts them (Unicode scalar values, so an emoji is one or a few, never half). */
export function charCount(text: string): number {
  return Array.from(text).length;
}

/** The notice under the composer when the text is longer than the backend keeps; `null` otherwise. */
export function overlongNotice(text: string): string | null {
  const count = charCount(text);
  if (count <= MAX_INPUT_CHARS) return null;
  return `This message is ${count.toLocaleString("en-US")} characters long; only the first ${MAX_INPUT_CHARS.toLocaleString("en-US")} will be kept.`;
}

/** Whether there is anything to send. */
export function canSend(text: string): boolean {
  return text.trim().length > 0;
}

/** The words for a submission's state. */
export function deliveryLabel(state: DeliveryStateDto): string {
  switch (state) {
    case "queued":
      return "Queued";
    case "sending":
      return "Sending";
    case "sent":
      return "Sent";
    case "failed":
      return "Failed";
  }
}

/** The last message's id: the transcript scrolls when it changes. */
export function lastMessageId(messages: readonly ChatMessageDto[]): number | null {
  return messages.length === 0 ? null : (messages[messages.length - 1]?.id ?? null);
}

/** `13:05` in the person's locale, from the RFC 3339 stamp; "" when unreadable. */
export function messageTime(at: string, locale?: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}
