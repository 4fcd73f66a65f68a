/**
 * Pure helpers of the setup wizard: the format checks of the client id and secret
 * (the same rules as helpdesk's `validate_client`, so mistakes show while typing),
 * the redirect URI, the port, and the order of the steps.
 */

export const DEFAULT_REDIRECT_PORT = 8000;

/** The steps, in order. */
export const STEPS = ["dc", "client", "credentials", "connect", "organization", "departments", "test", "done"] as const;
export type Step = (typeof STEPS)[number];

export const STEP_TITLES: Readonly<Record<Step, string>> = {
  dc: "Data centre",
  client: "Create the API client",
  credentials: "Client ID and secret",
  connect: "Connect",
  organization: "Organization",
  departments: "Departments",
  test: "Test",
  done: "Done",
};

/** 1-based position of a step, for "Step 3 of 7". */
export function stepNumber(step: Step): number {
  return STEPS.indexOf(step) + 1;
}

/** `http://localhost:{port}/callback`: `localhost`, as registered in the Zoho API console. */
export function redirectUri(port: number): string {
  return `http://localhost:${port}/callback`;
}

/** A port typed by the admin; `null` when it is not a usable TCP port. */
export function parsePort(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port >= 1 && port <= 65535 ? port : null;
}

/** What is wrong with a pasted client id, or `null` when it looks right. */
export function clientIdProblem(raw: string): string | null {
  const id = raw.trim();
  if (id === "") return "Paste the Client ID from the Zoho API console.";
  if (!id.startsWith("1000.")) return "A Zoho Client ID starts with “1000.”; copy it again from the API console.";
  const rest = id.slice(5);
  if (rest.length < 10 || rest.length > 64) return "This Client ID is too short or too long; copy it again.";
  if (!/^[A-Za-z0-9]+$/.test(rest)) return "A Client ID has only letters and digits after “1000.”; copy it again.";
  return null;
}

/** What is wrong with a pasted client secret, or `null` when it looks right. */
export function clientSecretProblem(raw: string): string | null {
  const secret = raw.trim();
  if (secret === "") return "Paste the Client Secret from the Zoho API console.";
  if (secret.length < 10 || secret.length > 128) return "This Client Secret is too short or too long; copy it again.";
  if (!/^[A-Za-z0-9._-]+$/.test(secret)) return "A Client Secret has no spaces or other characters; copy it again.";
  return null;
}

/** The data centre names in the list: "EU (accounts.zoho.eu)". */
export function dataCentreOption(dc: { name: string; accountsHost: string }): string {
  return `${dc.name} (${dc.accountsHost})`;
}
