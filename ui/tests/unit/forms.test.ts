import { describe, expect, it } from "vitest";

import type { ContactSuggestionDto } from "../../src/bindings/ContactSuggestionDto";
import type { FormOptionsDto } from "../../src/bindings/FormOptionsDto";
import {
  attachmentProblem,
  describedBy,
  emptyTicket,
  errorsByField,
  FIELD_LABELS,
  fillFromSuggestion,
  firstInvalidField,
  formatBytes,
  formLevelErrors,
  isPickerValue,
  isSubmitShortcut,
  keptAttachments,
  shortcutLabel,
  submitOutcome,
  suggestionName,
  TICKET_FIELDS,
} from "../../src/lib/forms";

const OPTIONS: FormOptionsDto = {
  departments: [{ id: "11", name: "Support" }],
  ticketDepartmentId: "11",
  callbackDepartmentId: "12",
  priorities: ["High", "Medium", "Low"],
  defaultPriority: "Medium",
  statuses: ["Open", "On Hold"],
  channels: ["Phone", "Email"],
  defaultChannel: "Phone",
  maxAttachmentBytes: 20 * 1024 * 1024,
  maxAttachments: 2,
  timeZone: "Europe/London",
  sandbox: false,
  departmentsError: null,
};

const ADA: ContactSuggestionDto = {
  id: "c1",
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada@example.com",
  phone: null,
  source: "desk",
};

describe("submit shortcut", () => {
  it("is Ctrl+Enter or Cmd+Enter, not plain Enter", () => {
    expect(isSubmitShortcut({ key: "Enter", ctrlKey: true, metaKey: false })).toBe(true);
    expect(isSubmitShortcut({ key: "Enter", ctrlKey: false, metaKey: true })).toBe(true);
    expect(isSubmitShortcut({ key: "Enter", ctrlKey: false, metaKey: false })).toBe(false);
    expect(isSubmitShortcut({ key: "s", ctrlKey: true, metaKey: false })).toBe(false);
  });

  it("waits while an input method composes", () => {
    expect(isSubmitShortcut({ key: "Enter", ctrlKey: true, metaKey: false, isComposing: true })).toBe(false);
  });

  it("is named for the platform", () => {
    expect(shortcutLabel("MacIntel")).toBe("⌘ Enter");
    expect(shortcutLabel("Linux x86_64")).toBe("Ctrl+Enter");
    expect(shortcutLabel("Win32")).toBe("Ctrl+Enter");
  });
});

describe("field errors", () => {
  const errors = [
    { field: "subject" as const, message: "A subject is needed." },
    { field: "email" as const, message: "Not an email." },
    { field: "email" as const, message: "Desk: unknown domain." },
    { field: "form" as const, message: "Check the marked fields." },
    { field: "when" as const, message: "Not in a ticket." },
  ];

  it("keeps one message per field, joining several", () => {
    expect(errorsByField(errors)).toEqual({
      subject: "A subject is needed.",
      email: "Not an email. Desk: unknown domain.",
      form: "Check the marked fields.",
      when: "Not in a ticket.",
    });
  });

  it("finds the first invalid field in the form's order, not the errors' order", () => {
    expect(firstInvalidField(TICKET_FIELDS, errorsByField(errors))).toBe("email");
    expect(firstInvalidField(TICKET_FIELDS, {})).toBeNull();
  });

  it("shows above the form what belongs to no field of it", () => {
    expect(formLevelErrors(errors, TICKET_FIELDS)).toEqual(["Check the marked fields.", "Not in a ticket."]);
  });

  it("names every field for people", () => {
    expect(FIELD_LABELS.dueDate).toBe("Due date");
    expect(FIELD_LABELS.when).toBe("Preferred time");
  });

  it("describes an input by its hint and its error", () => {
    expect(describedBy("x", false, false)).toBeUndefined();
    expect(describedBy("x", true, false)).toBe("x-hint");
    expect(describedBy("x", true, true)).toBe("x-hint x-error");
  });
});

describe("suggestions", () => {
  it("names a contact First Last, or by the last name alone", () => {
    expect(suggestionName(ADA)).toBe("Ada Lovelace");
    expect(suggestionName({ ...ADA, firstName: null })).toBe("Lovelace");
  });

  it("fills what the contact has and keeps what it lacks as typed", () => {
    expect(fillFromSuggestion({ name: "Ad", email: "", phone: "+44 1" }, ADA)).toEqual({
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "+44 1",
    });
  });
});

describe("attachments", () => {
  it("writes sizes in binary units", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(20 * 1024 * 1024)).toBe("20 MB");
    expect(formatBytes(25.4 * 1024 * 1024)).toBe("25 MB");
  });

  it("refuses a file over the cap, naming it and the limit", () => {
    expect(attachmentProblem({ name: "video.mp4", size: 30 * 1024 * 1024 }, 0, OPTIONS)).toBe(
      "“video.mp4” is 30 MB; each file can be at most 20 MB.",
    );
    expect(attachmentProblem({ name: "a.txt", size: 10 }, 0, OPTIONS)).toBeNull();
  });

  it("refuses a file beyond the count", () => {
    expect(attachmentProblem({ name: "c.txt", size: 10 }, 2, OPTIONS)).toBe(
      "“c.txt” was not added: a ticket can carry at most 2 files.",
    );
  });

  it("names kept attachments as History lists them", () => {
    expect(keptAttachments(["t1", "t2"], ["receipt.pdf"])).toEqual([
      { token: "t1", name: "receipt.pdf", size: null, kept: true },
      { token: "t2", name: "Attachment 2", size: null, kept: true },
    ]);
  });
});

describe("submit outcome", () => {
  const base = { itemId: 1, state: null, ticketNumber: null, fieldErrors: [], message: null };

  it("is invalid when nothing was queued", () => {
    expect(submitOutcome({ ...base, itemId: null })).toBe("invalid");
  });

  it("follows the delivery state", () => {
    expect(submitOutcome({ ...base, state: "sent", ticketNumber: "1" })).toBe("sent");
    expect(submitOutcome({ ...base, state: "queued" })).toBe("queued");
    expect(submitOutcome({ ...base, state: "sending" })).toBe("queued");
    expect(submitOutcome({ ...base, state: "failed" })).toBe("failed");
  });
});

describe("defaults", () => {
  it("start a ticket in the setup's Support department with the admin's defaults", () => {
    expect(emptyTicket(OPTIONS)).toMatchObject({
      departmentId: "11",
      priority: "Medium",
      status: "Open",
      channel: "Phone",
      dueDate: null,
      attachments: [],
    });
  });

  it("recognise a picker value", () => {
    expect(isPickerValue("2026-12-01T09:30")).toBe(true);
    expect(isPickerValue("tomorrow 2pm")).toBe(false);
  });
});
