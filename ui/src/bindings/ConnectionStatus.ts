// Hand-written in ts-rs style until ts-rs generates it from the Rust DTO. Do not add logic here.

/**
 * Whether the app is connected to Zoho Desk (command `connection_status`).
 */
export type ConnectionStatus = { "state": "not_connected" } | { "state": "connected", orgName: string, dataCentre: string, sandbox: boolean, } | { "state": "reconnect_needed", orgName: string, dataCentre: string, sandbox: boolean, };
