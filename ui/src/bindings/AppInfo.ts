// Hand-written in ts-rs style until ts-rs generates it from the Rust DTO. Do not add logic here.

/**
 * What the running app says about itself (command `app_info`).
 */
export type AppInfo = { name: string, version: string, tauriVersion: string, identifier: string, dataDir: string, logDir: string, };
