// Runs axe-core in Debian's Chromium on one page of each kind of a built
// Trellis site, in light and dark color schemes, at desktop and phone widths,
// so that a theme change that breaks contrast, names or structure fails the
// tests with the rule, the element and the page.
//
// Usage: node axe.mjs <site-dir>
// Exits 0 when no page has a violation of impact "serious" or "critical",
// 1 otherwise (or when a page or one of its files fails to load), 2 on a usage error.

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, normalize, sep } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const SCHEMES = ["light", "dark"];
const WIDTHS = [1280, 390];
const FAILING_IMPACTS = new Set(["serious", "critical"]);
/** The whole run stops by itself after this long, whatever hangs. */
const DEADLINE_MS = 5 * 60 * 1000;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".ics": "text/calendar; charset=utf-8",
};

/**
 * The site's base path and the paths of the pages to check, one of each kind,
 * read off sitemap.xml so the script needs no knowledge of the URL scheme
 * beyond its section names.
 */
function pagesFromSitemap(xml) {
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  if (paths.length === 0) throw new Error("sitemap.xml lists no page");
  // The sitemap lists the home page first; every other page is under it.
  const base = paths[0].endsWith("/") ? paths[0] : `${paths[0]}/`;
  const firstUnder = (section) => {
    const prefix = `${base}${section}/`;
    const found = paths.find((p) => p.startsWith(prefix) && p.length > prefix.length);
    if (!found) throw new Error(`sitemap.xml lists no page under ${prefix}`);
    return found;
  };
  const pages = {
    home: base,
    idea: firstUnder("ideas"),
    skill: firstUnder("skills"),
    mentor: firstUnder("mentors"),
    term: firstUnder("terms"),
    stats: `${base}stats/`,
  };
  return { base, pages };
}

/** Serves `root` under `base` on 127.0.0.1, as a static host such as GitHub Pages would. */
function serve(root, base) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = null;
    if (path.startsWith(base)) {
      const rel = normalize(path.slice(base.length));
      if (!rel.startsWith("..") && !rel.includes(`${sep}..`)) {
        file = join(root, rel);
        const info = await stat(file).catch(() => null);
        if (info?.isDirectory()) file = join(file, "index.html");
      }
    }
    const body = file && (await readFile(file).catch(() => null));
    if (body) {
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } else {
      const notFound = await readFile(join(root, "404.html")).catch(() => "not found");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(notFound);
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** One page in one scheme at one width: its failing violations, and any file that did not load. */
async function check(browser, axeSource, url, colorScheme, width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    const page = await context.newPage();
    const broken = [];
    page.on("response", (r) => {
      if (r.status() >= 400) broken.push(`${r.status()} ${r.url()}`);
    });
    page.on("pageerror", (e) => broken.push(`script error: ${e.message}`));
    await page.emulateMedia({ colorScheme });
    const response = await page.goto(url, { waitUntil: "load", timeout: 30_000 });
    if (!response?.ok()) broken.push(`${response?.status()} ${url}`);
    await page.addScriptTag({ content: axeSource });
    const results = await page.evaluate(() =>
      axe.run(document, { resultTypes: ["violations"] }),
    );
    return { violations: results.violations, broken };
  } finally {
    await context.close();
  }
}

async function main() {
  const root = process.argv[2];
  if (!root) {
    console.error("usage: node axe.mjs <site-dir>");
    return 2;
  }
  const { base, pages } = pagesFromSitemap(await readFile(join(root, "sitemap.xml"), "utf8"));
  const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const server = await serve(root, base);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  let failures = 0;
  let runs = 0;
  try {
    for (const [kind, path] of Object.entries(pages)) {
      for (const scheme of SCHEMES) {
        for (const width of WIDTHS) {
          const where = `${kind} ${path} [${scheme}, ${width}px]`;
          const { violations, broken } = await check(browser, axeSource, origin + path, scheme, width);
          runs += 1;
          for (const b of broken) {
            failures += 1;
            console.error(`${where}: did not load: ${b}`);
          }
          for (const v of violations) {
            const failing = FAILING_IMPACTS.has(v.impact);
            if (failing) failures += v.nodes.length;
            for (const node of v.nodes) {
              console.error(
                `${where}: ${failing ? "error" : "note"}: ${v.id} (${v.impact}) at ${node.target.join(" ")}: ${v.help}`,
              );
              if (failing && node.failureSummary) {
                console.error(`    ${node.failureSummary.replace(/\n/g, "\n    ")}`);
              }
            }
          }
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`axe: ${runs} page views, ${failures} serious or critical problem${failures === 1 ? "" : "s"}`);
  return failures === 0 ? 0 : 1;
}

const deadline = setTimeout(() => {
  console.error(`axe: gave up after ${DEADLINE_MS / 1000} s`);
  process.exit(1);
}, DEADLINE_MS);
deadline.unref();
process.exitCode = await main();
