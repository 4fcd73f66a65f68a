// Hand-written in ts-rs style until ts-rs generates it from the Rust DTO. Do not add logic here.

/**
 * The closed set of error kinds a command can fail with. The UI branches on these.
 */
export type ErrorKind = "auth_required" | "auth_expired" | "validation" | "rate_limited" | "offline" | "not_found" | "internal";
