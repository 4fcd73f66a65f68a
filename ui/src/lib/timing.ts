/** Timing helpers of the forms (no IPC, no DOM): debounced typing, newest answer wins. */

/** A function that runs `delayMs` after the last call; `cancel` drops a pending run. */
export type Debounced<A extends unknown[]> = ((...args: A) => void) & { cancel: () => void };

export function debounce<A extends unknown[]>(run: (...args: A) => void, delayMs: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      run(...args);
    }, delayMs);
  };
  debounced.cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  return debounced;
}

/**
 * Overlapping requests (typing, searching): each call of the returned function
 * starts a new one and gives back a check that stays true only while no newer
 * request has started, so a slow old answer never overwrites a newer one.
 */
export function newestWins(): () => () => boolean {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}

/** How long typing pauses before the backend is asked (suggestions, search, plain-words times). */
export const TYPING_PAUSE_MS = 300;
