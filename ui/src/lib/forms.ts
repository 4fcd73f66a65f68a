/** Pure helpers of the ticket and callback forms (no IPC, no DOM): tested with vitest. */
import type { CallbackFormInput } from "../bindings/CallbackFormInput";
import type { ContactSuggestionDto } from "../bindings/ContactSuggestionDto";
import type { FieldErrorDto } from "../bindings/FieldErrorDto";
import type { FormField } from "../bindings/FormField";
import type { FormOptionsDto } from "../bindings/FormOptionsDto";
import type { SubmitResultDto } from "../bindings/SubmitResultDto";
import type { TicketFormInput } from "../bindings/TicketFormInput";

/** Contact fields that offer suggestions. */
export type ContactFields = { name: string; email: string; phone: string };

/** The ticket fields in the order the form shows them: the first invalid one gets the focus. */
export const TICKET_FIELDS: readonly FormField[] = [
  "name",
  "email",
  "phone",
  "subject",
  "description",
  "department",
  "priority",
  "status",
  "channel",
  "dueDate",
  "attachments",
];

export const CALLBACK_FIELDS: readonly FormField[] = ["name", "phone", "email", "when", "note"];

/** How a field is named to people (History lists Desk's errors by field). */
export const FIELD_LABELS: Readonly<Record<FormField, string>> = {
  name: "Name",
  email: "Email",
  phone: "Phone",
  subject: "Subject",
  description: "Description",
  department: "Department",
  priority: "Priority",
  status: "Status",
  channel: "Channel",
  dueDate: "Due date",
  attachments: "Attachments",
  when: "Preferred time",
  note: "Note",
  form: "Form",
};

/** Ctrl+Enter (Cmd+Enter on a Mac) submits a form from any of its fields. */
export function isSubmitShortcut(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  isComposing?: boolean;
}): boolean {
  if (event.key !== "Enter" || event.isComposing === true || event.altKey === true) return false;
  return event.ctrlKey || event.metaKey;
}

/** How the submit button names its shortcut on this platform. */
export function shortcutLabel(platform: string): string {
  return /mac|iphone|ipad/i.test(platform) ? "⌘ Enter" : "Ctrl+Enter";
}

/** One message per field (several from Desk are joined); the first error wins the order. */
export function errorsByField(errors: readonly FieldErrorDto[]): Partial<Record<FormField, string>> {
  const byField: Partial<Record<FormField, string>> = {};
  for (const { field, message } of errors) {
    const earlier = byField[field];
    byField[field] = earlier === undefined ? message : `${earlier} ${message}`;
  }
  return byField;
}

/** The first field of `order` that has an error, or null. */
export function firstInvalidField(
  order: readonly FormField[],
  errors: Partial<Record<FormField, string>>,
): FormField | null {
  return order.find((field) => errors[field] !== undefined) ?? null;
}

/** Errors that belong to no field this form shows (and `form` itself): shown above the form. */
export function formLevelErrors(errors: readonly FieldErrorDto[], shown: readonly FormField[]): string[] {
  return errors.filter((error) => !shown.includes(error.field)).map((error) => error.message);
}

/** The ids an input's aria-describedby names: its hint, then its error. */
export function describedBy(id: string, hasHint: boolean, hasError: boolean): string | undefined {
  const ids = [hasHint ? `${id}-hint` : null, hasError ? `${id}-error` : null].filter((x) => x !== null);
  return ids.length === 0 ? undefined : ids.join(" ");
}

/** "First Last" of a suggestion. */
export function suggestionName(suggestion: ContactSuggestionDto): string {
  return [suggestion.firstName, suggestion.lastName]
    .filter((part): part is string => part !== null && part.trim() !== "")
    .join(" ");
}

/** What choosing a suggestion writes: what the contact has; what it lacks stays as typed. */
export function fillFromSuggestion(current: ContactFields, suggestion: ContactSuggestionDto): ContactFields {
  const name = suggestionName(suggestion);
  return {
    name: name === "" ? current.name : name,
    email: suggestion.email ?? current.email,
    phone: suggestion.phone ?? current.phone,
  };
}

/** `20 MB`, `1.5 KB`, `12 bytes` (binary units, as the cap is set). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 10 || Number.isInteger(value) ? Math.round(value) : Math.round(value * 10) / 10;
  return `${rounded} ${units[unit] ?? "GB"}`;
}

/** Why a file cannot be attached before it is read, or null when it can. */
export function attachmentProblem(
  file: { name: string; size: number },
  alreadyAttached: number,
  options: Pick<FormOptionsDto, "maxAttachmentBytes" | "maxAttachments">,
): string | null {
  if (file.size > options.maxAttachmentBytes) {
    return `“${file.name}” is ${formatBytes(file.size)}; each file can be at most ${formatBytes(options.maxAttachmentBytes)}.`;
  }
  if (alreadyAttached >= options.maxAttachments) {
    return `“${file.name}” was not added: a ticket can carry at most ${options.maxAttachments} files.`;
  }
  return null;
}

/** What became of a submission, as the form shows it. */
export type SubmitOutcome = "sent" | "queued" | "failed" | "invalid";

export function submitOutcome(result: SubmitResultDto): SubmitOutcome {
  if (result.itemId === null) return "invalid";
  switch (result.state) {
    case "sent":
      return "sent";
    case "queued":
    case "sending":
      return "queued";
    case "failed":
      return "failed";
    case null:
      return result.fieldErrors.length > 0 ? "failed" : "queued";
  }
}

/** An empty ticket form with the options' defaults (the setup's Support department). */
export function emptyTicket(options: FormOptionsDto | null): TicketFormInput {
  return {
    name: "",
    email: "",
    phone: "",
    subject: "",
    description: "",
    departmentId: options?.ticketDepartmentId ?? null,
    priority: options?.defaultPriority ?? "",
    status: options?.statuses[0] ?? "",
    channel: options?.defaultChannel ?? "",
    dueDate: null,
    attachments: [],
  };
}

export function emptyCallback(): CallbackFormInput {
  return { name: "", phone: "", email: "", when: "", note: "" };
}

/** A file on its way with the ticket; `kept` ones came with an item opened from History. */
export type Attachment = { token: string; name: string; size: number | null; kept: boolean };

/** The attachments of an item opened from History, named as History lists them. */
export function keptAttachments(tokens: readonly string[], names: readonly string[]): Attachment[] {
  return tokens.map((token, index) => ({
    token,
    name: names[index] ?? `Attachment ${index + 1}`,
    size: null,
    kept: true,
  }));
}

/** A queued or failed item opened from History to edit and send again. */
export type TicketEdit = { id: number; input: TicketFormInput; attachmentNames: string[] };
export type CallbackEdit = { id: number; input: CallbackFormInput };

/** A datetime-local picker value (`YYYY-MM-DDTHH:mm`), as the callback's `when` accepts it. */
export function isPickerValue(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text.trim());
}
