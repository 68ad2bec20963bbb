#!/usr/bin/env bash
# Search benchmark: the size of the search index (raw and gzip -9) on a generated
# 10,000-idea site and on the real corpus, and how long a query takes in headless
# Chromium once the index is loaded (median over 50 queries: the first run of each,
# which decodes its postings, and a second, warm one; "query + render" includes
# building the result list and facets, as typing does). Not a test: it prints the
# numbers for the "Search" section of BENCHMARKS.md.
#
# Usage: bench/search-bench.sh [--ideas N] [--corpus DIR] [--skip-build]
# Needs: python3, gzip, chromium, chromedriver, /work/shared/bench/gen-corpus (or $GEN_CORPUS).
# $TRELLIS overrides the trellis binary (default: target/release/trellis).
set -euo pipefail

IDEAS=10000
CORPUS="${TRELLIS_CORPUS:-/work/shared/corpus}"
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ideas) IDEAS="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "$0")/.." && pwd)"
GEN_CORPUS="${GEN_CORPUS:-/work/shared/bench/gen-corpus}"
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
CHROMEDRIVER="$(command -v chromedriver || true)"
for tool in python3 gzip; do
  command -v "$tool" >/dev/null || { echo "search-bench: $tool is missing" >&2; exit 2; }
done
[ -n "$CHROMIUM" ] || { echo "search-bench: chromium is missing" >&2; exit 2; }
[ -n "$CHROMEDRIVER" ] || { echo "search-bench: chromedriver is missing" >&2; exit 2; }
[ -x "$GEN_CORPUS" ] || { echo "search-bench: $GEN_CORPUS is missing" >&2; exit 2; }

if [ "$BUILD" = 1 ] && [ -z "${TRELLIS:-}" ]; then
  (cd "$REPO" && cargo build --release --quiet)
fi
TRELLIS="${TRELLIS:-$REPO/target/release/trellis}"

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
  printf 'title = "Search benchmark"\nbase_url = "/"\ncontent_dir = "%s"\n' "$1" >"$root/trellis.toml"
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
timeout 300 python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$WORK/site" >/dev/null 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/')" 2>/dev/null && break
  sleep 0.1
done

echo "== query time in headless Chromium ($IDEAS ideas, index over loopback HTTP)"
# Driven through chromedriver: --dump-dom alone would need virtual time, which
# also stops the clock that performance.now() reads.
DRIVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
timeout 300 "$CHROMEDRIVER" --port="$DRIVER_PORT" >/dev/null 2>&1 &
DRIVER_PID=$!
python3 - "$DRIVER_PORT" "http://127.0.0.1:$PORT/search/bench.html" "$CHROMIUM" "$WORK" <<'PY'
import json, sys, tempfile, time, urllib.request
driver, page, chromium, work = sys.argv[1:5]
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
for run in (1, 2, 3):
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
        print(f"  run {run}: {result or 'no result: the page did not finish'}")
    finally:
        call("DELETE", f"/session/{session}")
PY
