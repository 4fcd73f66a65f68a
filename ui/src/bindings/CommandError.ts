// Hand-written in ts-rs style until ts-rs generates it from the Rust DTO. Do not add logic here.
import type { ErrorKind } from "./ErrorKind";

/**
 * How every command fails across IPC: a stable kind and a message meant for the user.
 */
export type CommandError = { kind: ErrorKind, message: string, };
