#!/usr/bin/env bash
# Dev-server benchmark: how long from saving a term file to the `reload` event
# on an open page (median of 20 edits, on a generated 1000-idea site), and how
# many requests a second `trellis serve` answers on loopback under
# `wrk -c 100 -d 10s` against an idea page, with zero errors and the server
# still answering afterwards. Not a test: it prints numbers for BENCHMARKS.md.
#
# Usage: bench/serve-bench.sh [--ideas N] [--edits N] [--skip-build]
# Needs: python3, wrk, curl, ../shared/bench/gen-corpus beside the repository (or $GEN_CORPUS).
set -euo pipefail

IDEAS=1000
EDITS=20
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --ideas) IDEAS="$2"; shift 2 ;;
    --edits) EDITS="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

BENCH_NAME=serve-bench
source "$(dirname "$0")/common.sh"
need python3 wrk curl
prepare_trellis

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

SITE="$WORK/site"
mkdir -p "$SITE"
"$GEN_CORPUS" --ideas "$IDEAS" --out "$SITE/content" >/dev/null
cp "$REPO/trellis.toml" "$SITE/trellis.toml"

# An idea page to load: the first page `trellis build` writes under an idea
# directory, else any HTML page, else the JSON API.
"$TRELLIS" -q --root "$SITE" build --output "$WORK/public" >/dev/null 2>&1
PAGE="$(cd "$WORK/public" && { find . -path '*idea*' -name '*.html' | sort | awk 'NR == 1'; } )"
[ -n "$PAGE" ] || PAGE="$(cd "$WORK/public" && { find . -name '*.html' ! -name 404.html | sort | awk 'NR == 1'; } )"
[ -n "$PAGE" ] || PAGE="./ideas.json"
PAGE="${PAGE#./}"

"$TRELLIS" --root "$SITE" serve --port 0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 100); do
  URL="$(grep -o 'http://[^ ]*' "$WORK/serve.out" || true)"
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { echo "serve-bench: the server did not start" >&2; cat "$WORK/serve.err" >&2; exit 1; }

echo "site: $IDEAS ideas, $(ls "$SITE/content" | wc -l) term files; server at $URL; page $PAGE"

# Save-to-reload latency: an event stream open as a page's would be; each
# edit appends a line to a term file and waits for the next `reload`.
python3 - "$URL" "$SITE/content" "$EDITS" <<'PY'
import os, socket, statistics, sys, time
from urllib.parse import urlparse

url, content, edits = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urlparse(url)
sock = socket.create_connection((u.hostname, u.port), timeout=60)
sock.sendall(f"GET {u.path}__trellis/events HTTP/1.1\r\nHost: {u.netloc}\r\nAccept: text/event-stream\r\n\r\n".encode())
stream = sock.makefile("rb")

def next_event():
    name = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("the event stream closed")
        line = line.decode().rstrip("\r\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line == "" and name:
            return name

while next_event() != "hello":
    pass
term = os.path.join(content, sorted(os.listdir(content))[0])
original = open(term).read()
times = []
try:
    for i in range(edits):
        started = time.perf_counter()
        with open(term, "w") as f:
            f.write(original + f"\n<!-- benchmark edit {i} -->\n")
        while True:
            name = next_event()
            if name == "reload":
                break
            if name == "error":
                raise SystemExit("the edited site failed to build")
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.2)
finally:
    with open(term, "w") as f:
        f.write(original)
times.sort()
print(f"save-to-reload: median {statistics.median(times):.1f} ms, "
      f"min {times[0]:.1f} ms, max {times[-1]:.1f} ms over {len(times)} edits")
PY
# The server's own account of each rebuild (pipeline and write, no debounce).
REBUILD="$(grep -o 'Rebuilt in [0-9]* ms' "$WORK/serve.err" | awk '{print $3}' | sort -n \
  | awk '{v[NR] = $1} END {if (NR) printf "median %d ms, min %d ms, max %d ms", v[int((NR + 1) / 2)], v[1], v[NR]}')"
echo "rebuild (server side): ${REBUILD:-no rebuild logged}"
echo "machine: $(nproc) cores, load average $(cut -d ' ' -f 1-3 /proc/loadavg)"

# Throughput on loopback, then a plain request to show the server survived.
wrk -t 2 -c 100 -d 10s "${URL}${PAGE}" >"$WORK/wrk.out" 2>&1 || true
cat "$WORK/wrk.out"
RPS="$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.out")"
ERRORS="$(awk '/Socket errors/ {print} /Non-2xx/ {print}' "$WORK/wrk.out")"
STATUS="$(curl -s -o /dev/null -w '%{http_code}' "${URL}${PAGE}")"
echo "wrk -c 100 -d 10s ${PAGE}: ${RPS} requests/s; errors: ${ERRORS:-none}; afterwards: HTTP ${STATUS}"
[ "$STATUS" = 200 ] || { echo "serve-bench: the server no longer answers" >&2; exit 1; }
