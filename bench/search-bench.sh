#!/usr/bin/env bash
# Search benchmark, for the "Search" section of BENCHMARKS.md (not a test). For
# the real corpus, then for generated sites of each size in --sizes (default
# 1,000, 10,000 and 100,000 ideas), it prints: the build time and the index's
# size (raw and gzip -9); how long a query takes in headless Chromium once the
# index is in (median over 50 queries: the first run of each, which decodes its
# postings, a second, warm one, and one through the search box, which also builds
# the result list and facets); and what a fresh browser fetches (every file,
# gzip -9) to answer its first query and ten queries typed one after another.
# With Pagefind ($PAGEFIND, or pagefind on PATH: `npm install pagefind`, whose
# binary runs offline), the same over Pagefind's index of the same idea pages:
# indexing time, size on disk, bytes for one and ten queries, warm query time.
#
# Usage: bench/search-bench.sh [--sizes N,N,...] [--corpus DIR] [--skip-build]
# Needs: python3, gzip, bc, chromium, chromedriver, ../shared/bench/gen-corpus beside the repository (or $GEN_CORPUS).
# $TRELLIS overrides the trellis binary (default: target/profiling/trellis, the release build with line tables).
set -euo pipefail

SIZES=1000,10000,100000
CORPUS="${TRELLIS_CORPUS:-}"
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

BENCH_NAME=search-bench
source "$(dirname "$0")/common.sh"
CORPUS="${CORPUS:-$REPO/../shared/corpus}"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
CHROMEDRIVER="$(command -v chromedriver || true)"
need python3 gzip
[ -n "$CHROMIUM" ] || missing chromium
[ -n "$CHROMEDRIVER" ] || missing chromedriver
prepare_trellis

WORK="$(mktemp -d)"
SERVER_PID=""
DRIVER_PID=""
cleanup() {
  for pid in $SERVER_PID $DRIVER_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# Builds the site whose term files are in $1 into $2, served from the root path.
build() {
  local root="$WORK/root-$(basename "$2")"
  mkdir -p "$root"
  # The term files as the content directory: a link, since content_dir must lie in the site.
  ln -sfn "$(realpath "$1")" "$root/content"
  printf 'title = "Search benchmark"\nbase_url = "/"\n' >"$root/trellis.toml"
  local started
  started=$(date +%s.%N)
  "$TRELLIS" -q --root "$root" build --output "$2" >/dev/null
  [ -f "$2/search/index.js" ] || { echo "search-bench: the build wrote no search/index.js" >&2; exit 1; }
  printf '  trellis build (pages and index): %.1f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
}

size() {
  local raw gz
  raw=$(wc -c <"$1")
  gz=$(gzip -9 <"$1" | wc -c)
  printf '  %-22s %9d bytes raw, %9d bytes gzip -9 (%s KB)\n' "$(basename "$1")" "$raw" "$gz" "$((gz / 1024))"
}

# Every piece of the index under $1: how many, raw and gzip -9 in all.
pieces() {
  python3 - "$1" <<'PY'
import gzip, os, sys
files = [os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs if f.endswith(".js")]
raw = sum(os.path.getsize(f) for f in files)
gz = sum(len(gzip.compress(open(f, "rb").read(), 9)) for f in files)
print(f"  index pieces: {len(files)} files, {raw} bytes raw, {gz} bytes gzip -9 each ({gz // 1024} KB)")
PY
}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DRIVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 3600 "$CHROMEDRIVER" --port="$DRIVER_PORT" >/dev/null 2>&1 &
DRIVER_PID=$!
PAGEFIND="${PAGEFIND:-$(command -v pagefind || true)}"

# Serves $1 on $PORT, logging requests to $WORK/http.log.
serve() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  timeout 3600 python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$1" >/dev/null 2>>"$WORK/http.log" &
  SERVER_PID=$!
  for _ in $(seq 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
    sleep 0.1
  done
}

# Opens each URL in a fresh headless Chromium (through chromedriver: --dump-dom
# alone would need virtual time, which also stops the clock that performance.now()
# reads) and prints what the page wrote into #bench.
drive() {
  python3 - "$DRIVER_PORT" "$CHROMIUM" "$WORK" "$@" <<'PY'
import json, sys, tempfile, time, urllib.request
driver, chromium, work, pages = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def call(method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{driver}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.load(r)["value"]
for _ in range(100):
    try:
        call("GET", "/status"); break
    except OSError:
        time.sleep(0.1)
for page in pages:
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + tempfile.mkdtemp(dir=work)]
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {
        "goog:chromeOptions": {"binary": chromium, "args": args}}}})["sessionId"]
    try:
        call("POST", f"/session/{session}/url", {"url": page})
        result = None
        for _ in range(1200):
            result = call("POST", f"/session/{session}/execute/sync", {"script":
                "var b = document.getElementById('bench'); return b && b.textContent", "args": []})
            if result:
                break
            time.sleep(0.1)
        print(result or "no result: the page did not finish")
    finally:
        call("DELETE", f"/session/{session}")
PY
}

# Every file one page load fetched, from the server log: count, raw and gzip -9 bytes.
fetched() {
  python3 - "$WORK/http.log" "$1" <<'PY'
import gzip, os, re, sys
log, site = sys.argv[1], sys.argv[2]
files = []
for line in open(log, errors="replace"):
    m = re.search(r'"GET (\S+) HTTP', line)
    path = m and m.group(1).split("?")[0]
    if not path or "favicon" in path:
        continue
    full = os.path.join(site, path.lstrip("/"))
    if os.path.isdir(full):
        full = os.path.join(full, "index.html")
    if os.path.isfile(full):
        data = open(full, "rb").read()
        files.append((len(data), len(gzip.compress(data, 9))))
print(f"{len(files)} files, {sum(f[0] for f in files) // 1024} KB raw, {sum(f[1] for f in files) // 1024} KB gzip -9")
PY
}

# The ten queries a student types one after another.
TEN='["rust", "kubernetes", "kubernets observability", "ebpf", "documentation site", "python", "helm chart", "security", "grpc", "machine learning"]'

# Pages added to the built site $1: Trellis's timing page, its first- and
# ten-query pages, and Pagefind's.
add_pages() {
  python3 - "$1" "$TEN" <<'PY'
import sys
site, ten = sys.argv[1], sys.argv[2]
page = open(f"{site}/search/index.html", encoding="utf-8").read()
def add(name, script):
    open(f"{site}/search/{name}", "w", encoding="utf-8").write(page.replace("</body>", "<script>" + script + "</script></body>"))
add("bench.html", r"""
(function () {
  var words = ["rust", "kubernetes", "kubernets", "migration guide", "observability", "ebpf",
    "sbom generation", "fuzzing harness", "documentation site", "go", "python", "graceful shutdown",
    "plugin api", "metrics exporter", "opentelemetry tracing", "helm", "release pipeline",
    "policy engine", "garbage collector", "web ui", "obs", "doc", "kube", "mig", "bench",
    "a status page", "the storage driver", "offline installation", "retry and backoff logic",
    "dependency pinning", "accessibility fixes", "multi-cluster support", "caching layer",
    "structured logging", "signed release artifacts", "arm64 images", "configuration loader",
    "sidecar injector", "audit log", "upgrade path", "promethues", "obsevability", "documetation",
    "grpc", "postgresql", "typescript react", "machine learning", "networking", "security", "ci/cd"];
  function median(xs) { xs.sort(function (a, b) { return a - b; }); return xs[xs.length >> 1]; }
  var pause = function (ms) { return new Promise(function (ok) { setTimeout(ok, ms); }); };
  var app = document.getElementById("search-app"), box = document.getElementById("search-q");
  (async function () {
    var start = performance.now();
    while (!window.trellisSearch) await pause(5);
    var ready = performance.now(), cold = [], warm = [], render = [];
    // Cold: the first run of each query, which loads its pieces over loopback and decodes its postings.
    for (var q of words) { var t = performance.now(); await trellisSearch.query(q); cold.push(performance.now() - t); }
    for (var q2 of words) { var t2 = performance.now(); await trellisSearch.query(q2); warm.push(performance.now() - t2); }
    // Through the box: the answer with its cards, the result list and the facets drawn.
    for (var q3 of words) {
      var t3 = performance.now();
      box.value = q3;
      box.dispatchEvent(new Event("input"));
      while (app.hasAttribute("aria-busy")) await pause(0);
      render.push(performance.now() - t3);
    }
    var out = document.createElement("pre");
    out.id = "bench";
    out.textContent = JSON.stringify({ head_ready_ms: +(ready - start).toFixed(1),
      median_cold_ms: +median(cold).toFixed(2), median_warm_ms: +median(warm).toFixed(2),
      median_query_render_ms: +median(render).toFixed(2), max_cold_ms: +Math.max.apply(null, cold).toFixed(2) });
    document.body.append(out);
  })();
})();""")
add("first.html", r"""
(function () {
  // The page's own first answer, from ?q=, drawn: then every fetch it made is in the log.
  var app = document.getElementById("search-app");
  (function check() {
    if (app.dataset.ready !== "true" || app.hasAttribute("aria-busy")) return setTimeout(check, 5);
    var out = document.createElement("pre");
    out.id = "bench";
    out.textContent = document.getElementById("search-count").textContent;
    document.body.append(out);
  })();
})();""")
add("ten.html", r"""
(function () {
  var ten = TEN, box = document.getElementById("search-q"), k = 0;
  var app = document.getElementById("search-app");
  function next() {
    // Each query is typed once the answer to the one before is drawn.
    if (app.dataset.ready !== "true" || app.hasAttribute("aria-busy")) return setTimeout(next, 5);
    if (k === ten.length) return done();
    box.value = ten[k++];
    box.dispatchEvent(new Event("input"));
    setTimeout(next, 5);
  }
  function done() {
    var out = document.createElement("pre");
    out.id = "bench";
    out.textContent = JSON.stringify({ engine: "trellis", queries: ten.length, results: document.getElementById("search-count").textContent });
    document.body.append(out);
  }
  next();
})();""".replace("TEN", ten))
open(f"{site}/pagefind-ten.html", "w", encoding="utf-8").write(r"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<script type="module">
const ten = new URLSearchParams(location.search).get("q") ? [new URLSearchParams(location.search).get("q")] : TEN;
const pagefind = await import("/pagefind/pagefind.js");
let first = 0, warm = [];
for (const q of ten) {
  const t = performance.now();
  const search = await pagefind.search(q);
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  if (!first) first = performance.now();
  const w = performance.now();
  await pagefind.search(q);
  warm.push(performance.now() - w);
}
warm.sort((a, b) => a - b);
const out = document.createElement("pre");
out.id = "bench";
out.textContent = JSON.stringify({ engine: "pagefind", queries: ten.length, first_result_ms: +first.toFixed(1), median_warm_ms: +warm[warm.length >> 1].toFixed(2) });
document.body.append(out);
</script></body></html>""".replace("TEN", ten))
PY
}

# Everything measured on the built site $1.
measure() {
  local site="$1"
  pieces "$site/search"
  size "$site/search/index.js"
  size "$site/search.js"
  add_pages "$site"
  serve "$site"
  printf '  query time, index over loopback HTTP: '
  drive "http://127.0.0.1:$PORT/search/bench.html"
  : >"$WORK/http.log"
  printf '  trellis, first query (rust): '
  drive "http://127.0.0.1:$PORT/search/first.html?q=rust" >/dev/null
  sleep 0.3; fetched "$site"
  : >"$WORK/http.log"
  printf '  trellis, ten queries: '
  drive "http://127.0.0.1:$PORT/search/ten.html" >/dev/null
  sleep 0.3; fetched "$site"
  if [ -n "$PAGEFIND" ]; then
    local started
    started=$(date +%s.%N)
    "$PAGEFIND" --site "$site" --glob "ideas/**/*.html" >/dev/null
    printf '  pagefind %s: indexed in %.1f s, %s on disk\n' "$("$PAGEFIND" --version | awk '{print $2}')" \
      "$(echo "$(date +%s.%N) - $started" | bc)" "$(du -sh "$site/pagefind" | cut -f1)"
    : >"$WORK/http.log"
    printf '  pagefind, first query (rust, 10 results with excerpts): '
    drive "http://127.0.0.1:$PORT/pagefind-ten.html?q=rust" | tr -d '\n'
    sleep 0.3; printf ' — '; fetched "$site"
    : >"$WORK/http.log"
    printf '  pagefind, ten queries: '
    drive "http://127.0.0.1:$PORT/pagefind-ten.html" | tr -d '\n'
    sleep 0.3; printf ' — '; fetched "$site"
  fi
}

[ -n "$PAGEFIND" ] || echo "== Pagefind comparison skipped: set PAGEFIND or put pagefind on PATH (npm install pagefind)"
need bc
echo "== corpus: $CORPUS"
build "$CORPUS" "$WORK/corpus"
measure "$WORK/corpus"
for n in ${SIZES//,/ }; do
  echo "== generated: $n ideas"
  "$GEN_CORPUS" --ideas "$n" --out "$WORK/gen-$n" >/dev/null 2>&1
  build "$WORK/gen-$n" "$WORK/site-$n"
  measure "$WORK/site-$n"
  rm -rf "$WORK/gen-$n" "$WORK/site-$n" "$WORK/root-site-$n"
done
