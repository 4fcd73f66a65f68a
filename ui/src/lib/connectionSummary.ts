import type { ConnectionStatus } from "../bindings/ConnectionStatus";
import { dataCentreLabel } from "./dataCentre";

/** How the status area presents a connection state: tone drives colour, action the button. */
export type ConnectionSummary = {
  tone: "neutral" | "ok" | "warning";
  headline: string;
  detail: string | null;
  sandbox: boolean;
  action: "setup" | "reconnect" | null;
};

export function summariseConnection(status: ConnectionStatus): ConnectionSummary {
  switch (status.state) {
    case "not_connected":
      return {
        tone: "neutral",
        headline: "Not connected: set up Zoho Desk",
        detail: null,
        sandbox: false,
        action: "setup",
      };
    case "connected":
      return {
        tone: "ok",
        headline: `Connected to ${status.orgName}`,
        detail: `Data centre: ${dataCentreLabel(status.dataCentre)}`,
        sandbox: status.sandbox,
        action: null,
      };
    case "reconnect_needed":
      return {
        tone: "warning",
        headline: "Reconnect needed",
        detail: `${status.orgName} · Data centre: ${dataCentreLabel(status.dataCentre)}`,
        sandbox: status.sandbox,
        action: "reconnect",
      };
  }
}

/** True when Chat and New ticket cannot reach Desk until the admin runs Setup. */
export function needsSetup(status: ConnectionStatus): boolean {
  return status.state !== "connected";
}
