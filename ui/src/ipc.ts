/**
 * The one door to the Rust backend. No other module imports `@tauri-apps/api`
 * (tests/unit/source-rules.test.ts enforces it), so the rest of the UI sees typed
 * functions that resolve with DTOs from `bindings/` or reject with a `CommandError`.
 */
import { Channel, invoke, type InvokeArgs, type InvokeOptions } from "@tauri-apps/api/core";

import type { AppInfo } from "./bindings/AppInfo";
import type { CallbackFormInput } from "./bindings/CallbackFormInput";
import type { ChatViewDto } from "./bindings/ChatViewDto";
import type { ConnectionStatus } from "./bindings/ConnectionStatus";
import type { ClientInput } from "./bindings/ClientInput";
import type { ConsentStarted } from "./bindings/ConsentStarted";
import type { ContactQueryFieldDto } from "./bindings/ContactQueryFieldDto";
import type { ContactSuggestionDto } from "./bindings/ContactSuggestionDto";
import type { DisconnectDto } from "./bindings/DisconnectDto";
import type { FormOptionsDto } from "./bindings/FormOptionsDto";
import type { HistoryDto } from "./bindings/HistoryDto";
import type { HistoryEditDto } from "./bindings/HistoryEditDto";
import type { HistoryItemDto } from "./bindings/HistoryItemDto";
import type { SetupOutcomeDto } from "./bindings/SetupOutcomeDto";
import type { SetupState } from "./bindings/SetupState";
import type { StagedAttachmentDto } from "./bindings/StagedAttachmentDto";
import type { SubmitResultDto } from "./bindings/SubmitResultDto";
import type { TestSentDto } from "./bindings/TestSentDto";
import type { TicketFormInput } from "./bindings/TicketFormInput";
import type { WhenDto } from "./bindings/WhenDto";
import { toCommandError } from "./lib/commandError";

export type { AppInfo } from "./bindings/AppInfo";
export type { ChatMessageDto } from "./bindings/ChatMessageDto";
export type { ChatRole } from "./bindings/ChatRole";
export type { ChatViewDto } from "./bindings/ChatViewDto";
export type { DeliveryStateDto } from "./bindings/DeliveryStateDto";
export type { QuickReplyDto } from "./bindings/QuickReplyDto";
export type { SubmissionDto } from "./bindings/SubmissionDto";
export type { SummaryDto } from "./bindings/SummaryDto";
export type { CommandError } from "./bindings/CommandError";
export type { ConnectionStatus } from "./bindings/ConnectionStatus";
export type { ErrorKind } from "./bindings/ErrorKind";
export type { ClientInput } from "./bindings/ClientInput";
export type { ConnectionDto } from "./bindings/ConnectionDto";
export type { ConsentStarted } from "./bindings/ConsentStarted";
export type { DataCentreDto } from "./bindings/DataCentreDto";
export type { DepartmentDto } from "./bindings/DepartmentDto";
export type { DisconnectDto } from "./bindings/DisconnectDto";
export type { OrgDto } from "./bindings/OrgDto";
export type { SecretStoreDto } from "./bindings/SecretStoreDto";
export type { SetupOutcomeDto } from "./bindings/SetupOutcomeDto";
export type { SetupSettings } from "./bindings/SetupSettings";
export type { SetupState } from "./bindings/SetupState";
export type { SetupWarningDto } from "./bindings/SetupWarningDto";
export type { TestSentDto } from "./bindings/TestSentDto";
export type { CallbackFormInput } from "./bindings/CallbackFormInput";
export type { ContactQueryFieldDto } from "./bindings/ContactQueryFieldDto";
export type { ContactSuggestionDto } from "./bindings/ContactSuggestionDto";
export type { FieldErrorDto } from "./bindings/FieldErrorDto";
export type { FormField } from "./bindings/FormField";
export type { FormOptionsDto } from "./bindings/FormOptionsDto";
export type { HistoryDto } from "./bindings/HistoryDto";
export type { HistoryEditDto } from "./bindings/HistoryEditDto";
export type { HistoryItemDto } from "./bindings/HistoryItemDto";
export type { StagedAttachmentDto } from "./bindings/StagedAttachmentDto";
export type { SubmitResultDto } from "./bindings/SubmitResultDto";
export type { TicketFormInput } from "./bindings/TicketFormInput";
export type { WhenDto } from "./bindings/WhenDto";

/** Calls a command; a rejection is always a `CommandError`, whatever the backend threw. */
async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  try {
    return await invoke<T>(command, args, options);
  } catch (error: unknown) {
    // Rejecting with a plain `CommandError` (not an Error) is the contract of this module.
    throw toCommandError(error);
  }
}

/** Name, versions and the folders the app writes to. */
export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>("app_info");
}

/** Whether Zoho Desk is set up, connected, or needs the admin to reconnect. */
export function connectionStatus(): Promise<ConnectionStatus> {
  return call<ConnectionStatus>("connection_status");
}

// ---- The setup wizard -------------------------------------------------------

/** Data centres, saved settings (no secrets), status, where the sign-in is kept. */
export function setupState(): Promise<SetupState> {
  return call<SetupState>("setup_state");
}

/** Opens the Zoho API console of the data centre in the system browser (from Rust). */
export function openApiConsole(dataCentre: string | null): Promise<void> {
  return call<void>("setup_open_api_console", { dataCentre });
}

/** Listens on the redirect port, then opens the consent page in the system browser. */
export function startConsent(client: ClientInput): Promise<ConsentStarted> {
  return call<ConsentStarted>("setup_start_consent", { client });
}

/** Resolves when the consent came back and the connection is made. */
export function finishConsent(): Promise<SetupOutcomeDto> {
  return call<SetupOutcomeDto>("setup_finish_consent");
}

export function cancelConsent(): Promise<void> {
  return call<void>("setup_cancel_consent");
}

/** "Paste the address you were sent to". */
export function pasteRedirect(address: string): Promise<void> {
  return call<void>("setup_paste_redirect", { address });
}

export function selfClientCode(client: ClientInput, code: string): Promise<SetupOutcomeDto> {
  return call<SetupOutcomeDto>("setup_self_client_code", { client, code });
}

/** Imports the text of a `.env` in the original guide's format. */
export function importEnv(contents: string): Promise<SetupOutcomeDto> {
  return call<SetupOutcomeDto>("setup_import_env", { contents });
}

export function chooseOrganization(orgId: string): Promise<SetupOutcomeDto> {
  return call<SetupOutcomeDto>("setup_choose_organization", { orgId });
}

export function chooseDepartments(supportId: string, callbacksId: string | null): Promise<void> {
  return call<void>("setup_choose_departments", { supportId, callbacksId });
}

export function sendTest(kind: "ticket" | "callback"): Promise<TestSentDto> {
  return call<TestSentDto>("setup_send_test", { kind });
}

export function disconnect(): Promise<DisconnectDto> {
  return call<DisconnectDto>("setup_disconnect");
}

/** "Try without a Zoho account": the built-in simulator, then the same consent. */
export function startSandbox(): Promise<ConsentStarted> {
  return call<ConsentStarted>("setup_start_sandbox");
}

export function acceptFileStore(): Promise<void> {
  return call<void>("setup_accept_file_store");
}

// ---- The support chat --------------------------------------------------------

/** The saved conversation as it was (no Desk call): drawn at once on mount. */
export function chatRestore(): Promise<ChatViewDto> {
  return call<ChatViewDto>("chat_restore");
}

/** Greets a fresh conversation, or resumes what was waiting for Desk. */
export function chatStart(): Promise<ChatViewDto> {
  return call<ChatViewDto>("chat_start");
}

/** The person typed `text` (the backend cuts overlong input and says so). */
export function chatSay(text: string): Promise<ChatViewDto> {
  return call<ChatViewDto>("chat_say", { text });
}

/** The person pressed the quick reply `id`. */
export function chatChoose(id: string): Promise<ChatViewDto> {
  return call<ChatViewDto>("chat_choose", { id });
}

/** "New conversation". */
export function chatNew(): Promise<ChatViewDto> {
  return call<ChatViewDto>("chat_new");
}

/**
 * Calls `onUpdate` with the whole view after each change made in the background
 * (a queued ticket sent later, with its number). Updates stop when the page goes.
 */
export async function chatSubscribe(onUpdate: (view: ChatViewDto) => void): Promise<void> {
  const channel = new Channel<ChatViewDto>(onUpdate);
  await call<void>("chat_subscribe", { onUpdate: channel });
}

// ---- Manual entry: the ticket and callback forms -------------------------------

/** Departments, priorities, statuses, channels, the attachment cap and the time zone. */
export function formOptions(): Promise<FormOptionsDto> {
  return call<FormOptionsDto>("forms_options");
}

/** Up to 8 contacts matching `query` (none below 3 characters). */
export function contactSuggestions(
  field: ContactQueryFieldDto,
  query: string,
): Promise<ContactSuggestionDto[]> {
  return call<ContactSuggestionDto[]>("forms_contact_suggestions", { field, query });
}

/**
 * Hands one file's bytes to Rust as a raw binary body (no JSON, no base64), the
 * name in a header; resolves with the token the ticket will carry.
 */
export function stageAttachment(bytes: Uint8Array, name: string): Promise<StagedAttachmentDto> {
  return call<StagedAttachmentDto>("forms_stage_attachment", bytes, {
    headers: { "x-file-name": encodeURIComponent(name) },
  });
}

export function unstageAttachment(token: string): Promise<void> {
  return call<void>("forms_unstage_attachment", { token });
}

/** Reads "tomorrow 2pm" (or a picker value) as an absolute time in the options' zone. */
export function parseWhen(text: string): Promise<WhenDto> {
  return call<WhenDto>("forms_parse_when", { text });
}

export function submitTicket(input: TicketFormInput): Promise<SubmitResultDto> {
  return call<SubmitResultDto>("forms_submit_ticket", { input });
}

export function submitCallback(input: CallbackFormInput): Promise<SubmitResultDto> {
  return call<SubmitResultDto>("forms_submit_callback", { input });
}

// ---- History of manual entries -------------------------------------------------

/** What was entered on this computer (local only, no Desk call). */
export function historyList(search: string | null): Promise<HistoryDto> {
  return call<HistoryDto>("history_list", { search });
}

/** The same list, with ticket statuses asked of Desk. */
export function historyRefresh(search: string | null): Promise<HistoryDto> {
  return call<HistoryDto>("history_refresh", { search });
}

/** Sends a queued or failed item now. */
export function historyRetry(id: number): Promise<HistoryItemDto> {
  return call<HistoryItemDto>("history_retry", { id });
}

export function historyDiscard(id: number): Promise<void> {
  return call<void>("history_discard", { id });
}

/** The form values of a queued or failed item. */
export function historyEdit(id: number): Promise<HistoryEditDto> {
  return call<HistoryEditDto>("history_edit", { id });
}

export function historyResendTicket(id: number, input: TicketFormInput): Promise<SubmitResultDto> {
  return call<SubmitResultDto>("history_resend_ticket", { id, input });
}

export function historyResendCallback(id: number, input: CallbackFormInput): Promise<SubmitResultDto> {
  return call<SubmitResultDto>("history_resend_callback", { id, input });
}

/** Opens the ticket in Desk in the system browser (from Rust). */
export function historyOpenInDesk(id: number): Promise<void> {
  return call<void>("history_open_in_desk", { id });
}

/** Calls `onUpdate` with each item that changed in the background (delivered, failed, status). */
export async function historySubscribe(onUpdate: (item: HistoryItemDto) => void): Promise<void> {
  const channel = new Channel<HistoryItemDto>(onUpdate);
  await call<void>("history_subscribe", { onUpdate: channel });
}
