#!/usr/bin/env node
// @ts-check
// The front end in Chromium: serves the BUILT ui/dist with the production CSP, fakes the
// Rust backend with mockIPC (injected before the app loads), drives Debian's chromium
// headless through playwright-core. Run `npm run build` first.
//
//   node tests/browser/run.mjs [name filter]
//   CHROMIUM_PATH=/path/to/chromium node tests/browser/run.mjs
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

import { productionCsp } from "./lib/csp.mjs";
import { runTests } from "./lib/harness.mjs";
import { bundleMockBackend } from "./lib/mock-bundle.mjs";
import { serveDist } from "./lib/static-server.mjs";

const UI_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIST = join(UI_ROOT, "dist");
const RESULTS = join(UI_ROOT, "test-results");
const SPECS = fileURLToPath(new URL("./specs", import.meta.url));
const CHROMIUM = process.env["CHROMIUM_PATH"] || "/usr/bin/chromium";

// Flags that keep Chromium off the network (the machines here have none but the registries)
// and quiet; playwright-core adds --headless, --no-sandbox and a fresh temporary profile.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function main() {
  const started = Date.now();
  const filter = process.argv[2] ?? "";
  if (!existsSync(join(DIST, "index.html"))) {
    console.error(`browser tests: ${DIST}/index.html is missing; run \`npm run build\` first`);
    return 2;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return 2;
  }
  rmSync(RESULTS, { recursive: true, force: true });

  /** @type {import("./lib/harness.mjs").BrowserTest[]} */
  const tests = [];
  for (const file of readdirSync(SPECS).filter((f) => f.endsWith(".spec.mjs")).sort()) {
    const spec = await import(pathToFileURL(join(SPECS, file)).href);
    tests.push(...spec.default);
  }
  const selected = tests.filter((test) => test.name.includes(filter));

  const csp = productionCsp();
  const [mockBundle, server] = await Promise.all([bundleMockBackend(), serveDist({ root: DIST, csp: csp.header })]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  console.log(`browser tests: ${selected.length} tests, ${browser.version()} at ${CHROMIUM}`);
  console.log(`  serving ${DIST} at ${server.url}, CSP from ${csp.source}`);
  try {
    const { passed, failed } = await runTests({ browser, url: server.url, mockBundle, resultsDir: RESULTS, tests: selected });
    console.log(`browser tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
