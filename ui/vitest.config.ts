import { defineConfig } from "vitest/config";

// Unit tests of pure modules: no DOM, no Svelte components (those run in Chromium, tests/browser/).
export default defineConfig({
  test: {
    environment: "node",
    include: ["tests/unit/**/*.test.ts"],
  },
});
