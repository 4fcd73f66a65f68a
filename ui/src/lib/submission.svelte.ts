/**
 * What the New ticket and New callback forms share about sending: the errors
 * per field and for the form, the last result, the outbox item a new send
 * corrects, and focusing the first field in error. The forms keep their own
 * fields and how they build their input; this keeps the rest in one place.
 */
import { tick } from "svelte";

import type { CommandError, FormField, SubmitResultDto } from "../ipc";
import { toCommandError } from "./commandError";
import { errorsByField, firstInvalidField, formLevelErrors, submitOutcome, type SubmitOutcome } from "./forms";

/** A submission that reached the outbox: sent, queued, or refused by Desk. */
export type Sent = { outcome: Exclude<SubmitOutcome, "invalid">, dto: SubmitResultDto };

const CONTACT_FIELDS: readonly FormField[] = ["name", "email", "phone"];

export class Submission {
  /** One message per field, shown next to it. */
  errors = $state<Partial<Record<FormField, string>>>({});
  /** Errors about no field the form shows. */
  formErrors = $state<string[]>([]);
  /** The command itself failed (nothing reached the outbox); the form stays as typed. */
  commandError = $state<CommandError | null>(null);
  busy = $state(false);
  result = $state<Sent | null>(null);
  /** The outbox item a send corrects (opened from History, or a failed send of this form). */
  resendId = $state<number | null>(null);
  /** Sent or queued: the form gives way to its result. */
  readonly done = $derived(this.result !== null && this.result.outcome !== "failed");

  readonly #order: readonly FormField[];
  readonly #elementIds: Partial<Record<FormField, string>>;

  /**
   * @param order the form's fields, top to bottom (the first in error gets the focus)
   * @param elementIds the element that each field's error focuses
   */
  constructor(order: readonly FormField[], elementIds: Partial<Record<FormField, string>>) {
    this.#order = order;
    this.#elementIds = elementIds;
  }

  /** The person edited `field`: its error goes. */
  clear(field: FormField): void {
    if (this.errors[field] === undefined) return;
    const rest = { ...this.errors };
    delete rest[field];
    this.errors = rest;
  }

  /** A contact suggestion filled name, email and phone. */
  clearContact(): void {
    for (const field of CONTACT_FIELDS) this.clear(field);
  }

  /**
   * Sends once (nothing while busy or done): `first` for a new item, `again`
   * for the item this form corrects. Field errors, from the app's checks or
   * from Desk, land on their fields and the first one gets the focus.
   */
  async send(first: () => Promise<SubmitResultDto>, again: (id: number) => Promise<SubmitResultDto>): Promise<void> {
    if (this.busy || this.done) return;
    this.busy = true;
    this.commandError = null;
    let refocus = false;
    try {
      const dto = this.resendId === null ? await first() : await again(this.resendId);
      const outcome = submitOutcome(dto);
      this.errors = errorsByField(dto.fieldErrors);
      this.formErrors = formLevelErrors(dto.fieldErrors, this.#order);
      if (outcome === "invalid") {
        this.result = null;
      } else {
        this.result = { outcome, dto };
        // A failed item stays in the outbox: sending again corrects it rather than adding a second one.
        if (dto.itemId !== null) this.resendId = dto.itemId;
      }
      refocus = outcome === "invalid" || outcome === "failed";
    } catch (e: unknown) {
      // Nothing typed is lost: the form stays as it was.
      this.commandError = toCommandError(e);
    } finally {
      this.busy = false;
    }
    // After the fields are enabled again: a disabled field takes no focus.
    if (refocus) await this.focusFirstInvalid();
  }

  /** A fresh form ("Enter another"), or one that corrects `resendId`. */
  reset(resendId: number | null = null): void {
    this.errors = {};
    this.formErrors = [];
    this.commandError = null;
    this.result = null;
    this.resendId = resendId;
  }

  async focusFirstInvalid(): Promise<void> {
    await tick();
    const field = firstInvalidField(this.#order, this.errors);
    const id = field === null ? undefined : this.#elementIds[field];
    if (id !== undefined) document.getElementById(id)?.focus();
  }
}
