import type { CommandError } from "../bindings/CommandError";
import { toCommandError } from "./commandError";

/** A value fetched from the backend, as the UI sees it over time. */
export type Loadable<T> =
  | { state: "loading" }
  | { state: "ready", value: T }
  | { state: "failed", error: CommandError };

export const LOADING: Loadable<never> = { state: "loading" };

/** Waits for a request and never rejects: failure is a state to show, not an exception. */
export async function settle<T>(request: Promise<T>): Promise<Loadable<T>> {
  try {
    return { state: "ready", value: await request };
  } catch (error: unknown) {
    return { state: "failed", error: toCommandError(error) };
  }
}
