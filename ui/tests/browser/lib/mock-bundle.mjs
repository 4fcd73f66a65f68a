// @ts-check
// Bundles mock-backend.ts (and @tauri-apps/api/mocks) into one classic script for
// page.addInitScript. Built in memory on each run: nothing test-only reaches ui/dist.
import { fileURLToPath } from "node:url";

import { build } from "vite";

const ENTRY = fileURLToPath(new URL("../mock-backend.ts", import.meta.url));
const UI_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** @returns {Promise<string>} */
export async function bundleMockBackend() {
  const result = await build({
    configFile: false,
    root: UI_ROOT,
    logLevel: "warn",
    publicDir: false,
    build: {
      write: false,
      minify: false,
      target: "chrome105",
      lib: { entry: ENTRY, formats: ["iife"], name: "DeskChatMockBackend" },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const output of outputs) {
    if (!("output" in output)) continue;
    for (const chunk of output.output) {
      if (chunk.type === "chunk" && chunk.isEntry) return chunk.code;
    }
  }
  throw new Error("vite produced no bundle for mock-backend.ts");
}
