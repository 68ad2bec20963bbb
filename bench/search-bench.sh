#!/usr/bin/env bash
# Search benchmark: the size of the search index (raw and gzip -9) on a generated
# 10,000-idea site and on the real corpus, and how long a query takes in headless
# Chromium once the index is loaded (median over 50 queries: the first run of each,
# which decodes its postings, and a second, warm one; "query + render" includes
# building the result list and facets, as typing does). Not a test: it prints the
# numbers for the "Search" section of BENCHMARKS.md.
#
# Usage: bench/search-bench.sh [--ideas N] [--corpus DIR] [--skip-build]
# Needs: python3, gzip, chromium, chromedriver, ../shared/bench/gen-corpus beside the repository (or $GEN_CORPUS).
# $TRELLIS overrides the trellis binary (default: target/profiling/trellis, the release build with line tables).
set -euo pipefail

IDEAS=10000
CORPUS="${TRELLIS_CORPUS:-}"
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ideas) IDEAS="$2"; shift 2 ;;
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
  local started=$SECONDS
  "$TRELLIS" -q --root "$root" build --output "$2" >/dev/null
  [ -f "$2/search/index.json" ] || { echo "search-bench: the build wrote no search/index.json" >&2; exit 1; }
  echo "  built in $((SECONDS - started)) s"
}

size() {
  local raw gz
  raw=$(wc -c <"$1")
  gz=$(gzip -9 <"$1" | wc -c)
  printf '  %-22s %9d bytes raw, %9d bytes gzip -9 (%s KB)\n' "$(basename "$1")" "$raw" "$gz" "$((gz / 1024))"
}

echo "== corpus: $CORPUS"
build "$CORPUS" "$WORK/corpus"
size "$WORK/corpus/search/index.json"

echo "== generated: $IDEAS ideas"
"$GEN_CORPUS" --ideas "$IDEAS" --out "$WORK/gen" >/dev/null 2>&1
build "$WORK/gen" "$WORK/site"
size "$WORK/site/search/index.json"
size "$WORK/site/search.js"

# A copy of the search page that times queries once the index is in, and writes
# the figures into the page for --dump-dom to print.
python3 - "$WORK/site/search/index.html" "$WORK/site/search/bench.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
timer = r"""<script>
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
  var start = performance.now();
  function median(xs) { xs.sort(function (a, b) { return a - b; }); return xs[xs.length >> 1]; }
  function go() {
    if (!window.trellisSearch) return setTimeout(go, 5);
    var ready = performance.now(), cold = [], warm = [], render = [], box = document.getElementById("search-q");
    words.forEach(function (q) { var t = performance.now(); trellisSearch.query(q); cold.push(performance.now() - t); });
    words.forEach(function (q) { var t = performance.now(); trellisSearch.query(q); warm.push(performance.now() - t); });
    words.forEach(function (q) {
      var t = performance.now();
      box.value = q;
      box.dispatchEvent(new Event("input"));
      render.push(performance.now() - t);
    });
    var facets = performance.now();
    trellisSearch.query("", { skill: ["Rust"] });
    var out = document.createElement("pre");
    out.id = "bench";
    out.textContent = JSON.stringify({
      queries: words.length,
      index_ready_ms: +(ready - start).toFixed(1),
      median_cold_ms: +median(cold).toFixed(2),
      median_warm_ms: +median(warm).toFixed(2),
      median_query_render_ms: +median(render).toFixed(2),
      max_cold_ms: +Math.max.apply(null, cold).toFixed(2),
      facets_only_ms: +(performance.now() - facets).toFixed(2)
    });
    document.body.append(out);
  }
  go();
})();
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", timer + "</body>"))
PY

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The server's request log tells which files a page fetched, workers' included.
timeout 600 python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/site" >/dev/null 2>>"$WORK/http.log" &
SERVER_PID=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
  sleep 0.1
done
DRIVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 600 "$CHROMEDRIVER" --port="$DRIVER_PORT" >/dev/null 2>&1 &
DRIVER_PID=$!

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
    with urllib.request.urlopen(req, timeout=120) as r:
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
        for _ in range(600):
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

# The search files one page load fetched, from the server log: count, raw and gzip -9 bytes.
fetched() {
  python3 - "$WORK/http.log" "$WORK/site" <<'PY'
import gzip, os, re, sys
log, site = sys.argv[1], sys.argv[2]
files = []
for line in open(log, errors="replace"):
    m = re.search(r'"GET (\S+) HTTP', line)
    path = m and m.group(1).split("?")[0]
    if path and re.search(r"search|pagefind", path) and not path.endswith(".html"):
        data = open(os.path.join(site, path.lstrip("/")), "rb").read()
        files.append((len(data), len(gzip.compress(data, 9))))
print(f"    fetched {len(files)} files: {sum(f[0] for f in files)} bytes raw, {sum(f[1] for f in files)} gzip -9")
PY
}

echo "== query time in headless Chromium ($IDEAS ideas, index over loopback HTTP)"
for run in 1 2 3; do
  printf '  run %s: ' "$run"
  drive "http://127.0.0.1:$PORT/search/bench.html"
done

# Time to the first result of a query typed into the URL, and what it fetched:
# Trellis's search page, and Pagefind over the idea pages of the same site.
PAGEFIND="${PAGEFIND:-$(command -v pagefind || true)}"
python3 - "$WORK/site/search/index.html" "$WORK/site/search/first.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
probe = r"""<script>
new MutationObserver(function (changes, observer) {
  var list = document.getElementById("search-results");
  if (!list.children.length) return;
  observer.disconnect();
  var out = document.createElement("pre");
  out.id = "bench";
  out.textContent = JSON.stringify({ engine: "trellis", first_result_ms: +performance.now().toFixed(1),
    results: document.getElementById("search-count").textContent, first: list.querySelector(".card-title").textContent });
  document.body.append(out);
}).observe(document.getElementById("search-results"), { childList: true });
</script>"""
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", probe + "</body>"))
PY
cat >"$WORK/site/pagefind-first.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pagefind first result</title></head><body>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("/pagefind/pagefind.js");
const search = await pagefind.search(q);
const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
const out = document.createElement("pre");
out.id = "bench";
out.textContent = JSON.stringify({ engine: "pagefind", first_result_ms: +performance.now().toFixed(1),
  results: search.results.length, first: data[0] && data[0].meta.title });
document.body.append(out);
</script></body></html>
HTML
if [ -n "$PAGEFIND" ]; then
  started=$SECONDS
  "$PAGEFIND" --site "$WORK/site" --glob "ideas/**/*.html" >/dev/null
  echo "== Pagefind $("$PAGEFIND" --version | awk '{print $2}') over the idea pages: indexed in $((SECONDS - started)) s, $(du -sh "$WORK/site/pagefind" | cut -f1) on disk"
else
  echo "== Pagefind comparison skipped: set PAGEFIND or put pagefind on PATH (npm install pagefind)"
fi
echo "== first result of a query in a fresh browser (Pagefind: 10 results with their excerpts)"
for q in rust kubernetes; do
  pages=("search/first.html")
  [ -n "$PAGEFIND" ] && pages+=("pagefind-first.html")
  for page in "${pages[@]}"; do
    : >"$WORK/http.log"
    printf '  %s: ' "$q"
    drive "http://127.0.0.1:$PORT/$page?q=$q"
    sleep 0.3
    fetched
  done
done
