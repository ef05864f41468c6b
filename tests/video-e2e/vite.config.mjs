// Builds only the call page (ui/call.html) for the end-to-end test, into target/video-e2e/ui, so the
// test does not depend on the rest of the UI building. Run from ui/ with its vite:
//   ui/node_modules/.bin/vite build --config tests/video-e2e/vite.config.mjs
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ui = resolve(here, "../../ui");

export default {
  root: ui,
  clearScreen: false,
  logLevel: "warn",
  build: {
    target: "es2022",
    outDir: process.env.PSYTER_E2E_UI_OUT ?? resolve(here, "../../target/video-e2e/ui"),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { call: resolve(ui, "call.html") } },
  },
};
