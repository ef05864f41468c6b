/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Two entry pages: the app (index.html, inside the Tauri webview) and the call page (call.html, also
// served to a system browser when the webview has no WebRTC). Locale files come from ../assets so the
// UI and the core read the same Fluent sources.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true, fs: { allow: [".", "../assets"] } },
  build: {
    target: "es2022",
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1700,
    rollupOptions: {
      input: { main: "index.html", call: "call.html" },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./vitest.setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
