// Vite config for the partner-portal demo. Three settings matter for prm-wasm:
// - optimizeDeps.exclude: the dev server must not pre-bundle the package (nor its entry points,
//   such as prm-wasm/portal), or the `new URL("./prm_portal_bg.wasm", import.meta.url)` in it
//   would point at the wrong folder;
// - build.target es2022: the package instantiates its modules with top-level await;
// - server.fs.allow: here the package is a `file:` link to ../../prm-wasm/pkg, outside this
//   folder (an installed package under node_modules needs no such line).
import { defineConfig } from "vite";

export default defineConfig({
  optimizeDeps: { exclude: ["prm-wasm"] },
  server: { fs: { allow: [".", "../../prm-wasm/pkg"] } },
  build: {
    target: "es2022",
    rollupOptions: { input: { main: "index.html", bench: "bench.html" } },
  },
});
