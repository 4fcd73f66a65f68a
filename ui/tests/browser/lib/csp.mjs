// @ts-check
// The Content-Security-Policy the test server sends: the app's own, read from
// src-tauri/tauri.conf.json (app.security.csp) so the tests enforce what ships.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Used when tauri.conf.json is missing or has no CSP (e.g. ui/ checked out alone). */
export const FALLBACK_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

const TAURI_CONF = fileURLToPath(new URL("../../../../src-tauri/tauri.conf.json", import.meta.url));

/**
 * Tauri accepts the CSP as one string or as a map of directive to sources
 * (a string or a list of strings).
 * @param {unknown} csp
 * @returns {string | null}
 */
export function cspToHeader(csp) {
  if (typeof csp === "string") return csp.trim() === "" ? null : csp.trim();
  if (typeof csp !== "object" || csp === null) return null;
  const parts = Object.entries(csp).map(([directive, sources]) =>
    [directive, ...(Array.isArray(sources) ? sources : [sources])].join(" ").trim(),
  );
  return parts.length === 0 ? null : parts.join("; ");
}

/** @returns {{ header: string, source: string }} */
export function productionCsp() {
  if (existsSync(TAURI_CONF)) {
    const conf = JSON.parse(readFileSync(TAURI_CONF, "utf8"));
    const header = cspToHeader(conf?.app?.security?.csp);
    if (header !== null) return { header, source: "src-tauri/tauri.conf.json" };
  }
  return { header: FALLBACK_CSP, source: "built-in copy (no CSP in src-tauri/tauri.conf.json)" };
}
