// @ts-check
// Checks of ui/dist itself: what Tauri will serve under the strict CSP.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIST = fileURLToPath(new URL("../../../dist", import.meta.url));

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** @type {import("../lib/harness.mjs").BrowserTest[]} */
export default [
  {
    name: "the built index.html has no inline script, inline style or style attribute",
    noPage: true,
    async run() {
      const html = readFileSync(join(DIST, "index.html"), "utf8");
      assert.doesNotMatch(html, /<style/i, "inline <style> in dist/index.html");
      assert.doesNotMatch(html, /\sstyle\s*=/i, "style attribute in dist/index.html");
      const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
      assert.ok(scripts.length > 0, "no script tag at all");
      for (const tag of scripts) assert.match(tag, /\ssrc="\/assets\//, `inline or foreign script: ${tag}`);
      assert.match(html, /<link rel="stylesheet"[^>]*href="\/assets\/[^"]+\.css"/, "styles are not a bundled CSS file");
    },
  },
  {
    name: "the production bundle carries no IPC mock",
    noPage: true,
    async run() {
      for (const file of walk(DIST).filter((f) => /\.(js|html)$/.test(f))) {
        const text = readFileSync(file, "utf8");
        assert.doesNotMatch(text, /mockIPC|__DESK_CHAT_BACKEND__|mockInternals/, `test code in ${file}`);
      }
    },
  },
];
