// Builds the committed GOV.UK Frontend assets into static/govuk/.
// Run with `npm ci && npm run build` (or `make assets`). Node is not needed at run time.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });

const { css } = sass.compile(join(root, "frontend", "govuk.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  sourceMap: false,
  quietDeps: true,
});
writeFileSync(join(out, "govuk-frontend.min.css"), css + "\n");

// Drop the sourceMappingURL comment: the .map isn't shipped, and Django's
// ManifestStaticFilesStorage (collectstatic) fails on references to missing files.
const js = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8");
writeFileSync(
  join(out, "govuk-frontend.min.js"),
  js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "") + "\n",
);

// Images and manifests only: the GDS Transport fonts are not ours to serve.
for (const name of ["images", "manifest.json", "rebrand"]) {
  const src = join(govuk, "assets", name);
  if (existsSync(src)) cpSync(src, join(out, "assets", name), { recursive: true });
}

console.log("Built static/govuk/ from govuk-frontend");
