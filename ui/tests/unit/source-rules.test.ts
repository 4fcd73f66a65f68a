// House rules for the front-end source, checked by reading the files.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

const UI_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SRC = join(UI_ROOT, "src");
const IPC_MODULE = "src/ipc.ts";

type SourceFile = { path: string; text: string };

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const sources: SourceFile[] = walk(SRC)
  .filter((file) => /\.(ts|js|mjs|svelte|css|html)$/.test(file))
  .map((file) => ({ path: relative(UI_ROOT, file).split(sep).join("/"), text: readFileSync(file, "utf8") }));

function offenders(pattern: RegExp, files: SourceFile[] = sources): string[] {
  return files.filter((file) => pattern.test(file.text)).map((file) => file.path);
}

describe("source rules", () => {
  it("finds the sources it checks", () => {
    expect(sources.map((file) => file.path)).toContain(IPC_MODULE);
    expect(sources.length).toBeGreaterThan(10);
  });

  it("imports @tauri-apps/api only in src/ipc.ts", () => {
    // static import/export ... from, side-effect import, dynamic import(), require()
    const tauriImport = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'`]@tauri-apps\/api(?:\/[^"'`]*)?["'`]/;
    const others = sources.filter((file) => file.path !== IPC_MODULE);
    expect(offenders(tauriImport, others)).toEqual([]);
    // The rule must be able to see an import: ipc.ts itself has one.
    expect(offenders(tauriImport)).toEqual([IPC_MODULE]);
  });

  it("does not reach for Tauri's globals behind ipc.ts's back", () => {
    expect(offenders(/__TAURI/)).toEqual([]);
  });

  it("never renders text as HTML", () => {
    expect(offenders(/\{@html\b/)).toEqual([]);
    expect(offenders(/\b(innerHTML|outerHTML|insertAdjacentHTML)\b|document\.write\s*\(/)).toEqual([]);
  });

  it("uses nothing the CSP would block: inline style attributes, Svelte transitions, eval", () => {
    const svelte = sources.filter((file) => file.path.endsWith(".svelte"));
    // style="" in markup is an inline style attribute (style-src has no 'unsafe-inline').
    expect(offenders(/<[^>]*\sstyle\s*=/, svelte)).toEqual([]);
    // Svelte transitions and animations insert <style> elements at run time.
    expect(offenders(/\s(?:transition|animate|in|out):[A-Za-z_$][\w$]*(?=[\s=|>])/, svelte)).toEqual([]);
    expect(offenders(/\beval\s*\(|\bnew\s+Function\s*\(/)).toEqual([]);
  });

  it("keeps index.html free of inline scripts and styles", () => {
    const html = readFileSync(join(UI_ROOT, "index.html"), "utf8");
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
      expect(tag).toMatch(/\ssrc=/);
    }
  });
});
