// What the tests put on the page's `window` (before the app loads), and its types.

/** What the fake backend answers to one command; `delayMs` holds the answer back. */
export type BackendReply =
  | { resolve: unknown, delayMs?: number }
  | { reject: unknown, delayMs?: number }
  /** The n-th call of the command gets the n-th answer; the last one repeats. */
  | { resolveEach: unknown[], delayMs?: number };

/** Command name (as in `invoke("app_info")`) to its reply. */
export type BackendReplies = Record<string, BackendReply>;

export type BackendCall = { command: string, args: unknown };

export type CspViolation = { directive: string, blocked: string, sample: string };

declare global {
  interface Window {
    /** Replies of the fake backend, set by the harness, changeable by a test. */
    __DESK_CHAT_BACKEND__?: BackendReplies;
    /** Every IPC call the app made, in order. */
    __DESK_CHAT_CALLS__?: BackendCall[];
    /** Pushes a message down the Channel the app gave `command`; false when it gave none. */
    __DESK_CHAT_PUSH__?: (command: string, message: unknown) => boolean;
    /** Tauri's internals as `mockIPC` sets them up. */
    __TAURI_INTERNALS__: {
      runCallback: (id: number, data: unknown) => void;
      invoke: (command: string, args?: unknown, options?: { headers?: HeadersInit }) => Promise<unknown>;
    };
    /** `securitypolicyviolation` events since the page started. */
    __CSP_VIOLATIONS__?: CspViolation[];
  }
}
