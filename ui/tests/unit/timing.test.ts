import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { comboboxKey } from "../../src/lib/combobox";
import { debounce, newestWins } from "../../src/lib/timing";

describe("debounce", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs once, with the last arguments, after the pause", () => {
    const run = vi.fn<(text: string) => void>();
    const typed = debounce(run, 300);
    typed("a");
    vi.advanceTimersByTime(200);
    typed("ab");
    vi.advanceTimersByTime(299);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith("ab");
  });

  it("drops a pending run on cancel", () => {
    const run = vi.fn<() => void>();
    const typed = debounce(run, 300);
    typed();
    typed.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).not.toHaveBeenCalled();
  });
});

describe("newest wins", () => {
  it("lets only the newest request write", async () => {
    const start = newestWins();
    const shown: string[] = [];
    const ask = async (query: string, delay: number): Promise<void> => {
      const isNewest = start();
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (isNewest()) shown.push(query);
    };
    await Promise.all([ask("ada", 30), ask("ada lov", 5)]);
    expect(shown).toEqual(["ada lov"]);
  });
});

describe("combobox keys", () => {
  const closed = { open: false, active: null, count: 3 };

  it("ArrowDown opens on the first option, then moves and wraps", () => {
    expect(comboboxKey({ key: "ArrowDown" }, closed)).toEqual({ open: true, active: 0, choose: null, handled: true });
    expect(comboboxKey({ key: "ArrowDown" }, { open: true, active: 2, count: 3 }).active).toBe(0);
  });

  it("ArrowUp opens on the last option, then moves up and wraps", () => {
    expect(comboboxKey({ key: "ArrowUp" }, closed).active).toBe(2);
    expect(comboboxKey({ key: "ArrowUp" }, { open: true, active: 0, count: 3 }).active).toBe(2);
  });

  it("Alt+ArrowDown opens without choosing an option", () => {
    expect(comboboxKey({ key: "ArrowDown", altKey: true }, closed)).toEqual({ open: true, active: null, choose: null, handled: true });
  });

  it("Enter accepts the active option and closes; without one it is left to the form", () => {
    expect(comboboxKey({ key: "Enter" }, { open: true, active: 1, count: 3 })).toEqual({
      open: false,
      active: null,
      choose: 1,
      handled: true,
    });
    expect(comboboxKey({ key: "Enter" }, { open: true, active: null, count: 3 }).handled).toBe(false);
  });

  it("Escape closes an open list and keeps the text", () => {
    expect(comboboxKey({ key: "Escape" }, { open: true, active: 1, count: 3 })).toEqual({
      open: false,
      active: null,
      choose: null,
      handled: true,
    });
    expect(comboboxKey({ key: "Escape" }, closed).handled).toBe(false);
  });

  it("leaves Ctrl+Enter to the form (submit) and does nothing without options", () => {
    expect(comboboxKey({ key: "Enter", ctrlKey: true }, { open: true, active: 1, count: 3 }).choose).toBeNull();
    expect(comboboxKey({ key: "ArrowDown" }, { open: false, active: null, count: 0 }).handled).toBe(false);
  });
});
