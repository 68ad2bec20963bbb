// Validates every .html file of a built Trellis site with html-validate, so a
// template change that yields invalid or inaccessible markup fails the tests
// with the file and line of the offending output.
//
// Usage: node validate.mjs <site-dir>
// Exits 0 when every page is valid, 1 with one `file:line:column` line per
// error otherwise, 2 on a usage error.

import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { HtmlValidate, StaticConfigLoader } from "html-validate";

/** The recommended preset, less rules that judge formatting rather than validity. */
const config = {
  extends: ["html-validate:recommended"],
  rules: {
    // Pages are rendered from templates whose whitespace is of no consequence
    // to a browser or a screen reader; trimming it is a matter of taste.
    "no-trailing-whitespace": "off",
    // `<!doctype html>` and `<!DOCTYPE html>` are the same to every parser
    // (the HTML standard matches it case-insensitively); the case is a matter of taste.
    "doctype-style": "off",
    // A title is the idea's own title, as its mentor wrote it, then the site's
    // name: cutting it to 70 characters for search-result snippets would hide
    // the words a reader and a screen reader need to tell two tabs apart.
    "long-title": "off",
  },
};

/** Every `.html` file under `dir`, sorted so that reports read the same on every run. */
async function htmlFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".html"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node validate.mjs <site-dir>");
    return 2;
  }
  const files = await htmlFiles(dir);
  if (files.length === 0) {
    console.error(`validate: no .html file under ${dir}`);
    return 1;
  }
  const validator = new HtmlValidate(new StaticConfigLoader(config));
  let errors = 0;
  for (const file of files) {
    const report = await validator.validateFile(file);
    for (const result of report.results) {
      for (const m of result.messages) {
        // Severity 2 is an error and fails the run; a warning is shown only.
        const level = m.severity === 2 ? "error" : "warning";
        if (level === "error") errors += 1;
        console.error(
          `${file}:${m.line}:${m.column}: ${level}: ${m.ruleId}: ${m.message}`,
        );
      }
    }
  }
  console.log(`validate: ${files.length} pages, ${errors} error${errors === 1 ? "" : "s"}`);
  return errors === 0 ? 0 : 1;
}

process.exitCode = await main();
