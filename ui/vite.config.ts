import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vite";

// Served by Tauri from tauri://localhost/ in the app (build.frontendDist = ../ui/dist).
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    host: "127.0.0.1",
  },
  preview: {
    host: "127.0.0.1",
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.4x / WKWebView (Linux, macOS) and WebView2 (Windows).
    target: ["safari15", "chrome105"],
    // Everything as files under 'self': the CSP forbids inline scripts and styles.
    assetsInlineLimit: 0,
    // Each lazily loaded view brings its own CSS file with it (not one sheet for all views).
    cssCodeSplit: true,
    sourcemap: false,
  },
});
