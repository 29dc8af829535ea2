import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The console is served by Cairn at /console/ (src/server/console.ts); assets get content hashes so they can be
// cached for good, and index.html is the only file that is ever revalidated.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/console/",
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    chunkSizeWarningLimit: 1024,
  },
});
