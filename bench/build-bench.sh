#!/usr/bin/env bash
# Build benchmark: `trellis build` against Hugo on the same generated ideas, at
# 1,000, 10,000 and 100,000 ideas, in one run. For each size it generates the
# ideas twice with ../shared/bench/gen-corpus (`--format cncf`: term files in
# a site root's content/ with a trellis.toml; `--format hugo`: one page per idea
# in a Hugo site), builds each once to warm the caches, then alternates Trellis
# and Hugo (A B A B …), each into a fresh output directory on disk, and prints:
# median wall time, user+sys CPU, peak RSS (from /usr/bin/time -v), output files
# and bytes, ideas per second, the Trellis/Hugo wall-time ratio of each pair
# (median), the time of `cp -r` of Trellis's own output, and time(100k)/time(10k);
# then, per size and tool, the output's total bytes, its largest HTML page and
# bytes per idea (GitHub Pages publishes sites up to 1 GB).
# Then `trellis build` of the example site. Not a test: it prints the numbers
# for the "Build" section of BENCHMARKS.md.
#
# Usage: bench/build-bench.sh [--sizes "1000 10000 100000"] [--runs N] [--big-runs N] [--skip-build]
#   --runs N      timed runs of each tool per size (default 5)
#   --big-runs N  timed runs at 100,000 ideas (default 3: a Hugo build takes minutes)
# Needs: python3, hugo, /usr/bin/time (Debian package `time`), gen-corpus beside the repository (or $GEN_CORPUS).
# $TRELLIS overrides the trellis binary (default: target/profiling/trellis, the release build with line tables), $HUGO the hugo one.
set -euo pipefail

SIZES="1000 10000 100000"
RUNS=5
BIG_RUNS=3
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --big-runs) BIG_RUNS="$2"; shift 2 ;;
    --skip-build) BUILD=0; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

BENCH_NAME=build-bench
source "$(dirname "$0")/common.sh"
HUGO="${HUGO:-$(command -v hugo || true)}"
need python3
[ -x /usr/bin/time ] || missing /usr/bin/time "apt-get install time"
[ -n "$HUGO" ] || missing hugo "apt-get install hugo"
prepare_trellis

# On disk, as a real build writes: not tmpfs, whose writes cost nothing.
WORK="$(mktemp -d "${BENCH_DIR:-/var/tmp}/trellis-build-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "trellis: $TRELLIS ($("$TRELLIS" --version))"
echo "hugo: $("$HUGO" version | cut -d ' ' -f 1-2)"
echo "machine: $(nproc) cores, load average at start $(cut -d ' ' -f 1-3 /proc/loadavg)"

python3 - "$TRELLIS" "$HUGO" "$GEN_CORPUS" "$WORK" "$REPO" "$RUNS" "$BIG_RUNS" $SIZES <<'PY'
import os, shutil, statistics, subprocess, sys, time

trellis, hugo, gen, work, repo = sys.argv[1:6]
runs, big_runs = int(sys.argv[6]), int(sys.argv[7])
sizes = [int(n) for n in sys.argv[8:]]

def timed(cmd, out=None):
    """Runs cmd under /usr/bin/time -v: wall s, user+sys s, peak RSS KiB."""
    if out:
        shutil.rmtree(out, ignore_errors=True)
    os.sync()
    report = os.path.join(work, "time.txt")
    started = time.perf_counter()
    subprocess.run(["/usr/bin/time", "-v", "-o", report] + cmd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    fields = {}
    for line in open(report):
        key, _, value = line.strip().rpartition(": ")
        fields[key] = value
    cpu = float(fields["User time (seconds)"]) + float(fields["System time (seconds)"])
    return wall, cpu, int(fields["Maximum resident set size (kbytes)"])

def output_size(out):
    """Files, total bytes, and the largest HTML page as (bytes, path)."""
    files = size = 0
    largest = (0, "")
    for dirpath, _, names in os.walk(out):
        for name in names:
            path = os.path.join(dirpath, name)
            files += 1
            n = os.lstat(path).st_size
            size += n
            if name.endswith(".html") and n > largest[0]:
                largest = (n, os.path.relpath(path, out))
    return files, size, largest

def median(values):
    return statistics.median(values)

rows, walls, sizes_of = [], {}, {}
for n in sizes:
    site, hsite = os.path.join(work, f"trellis-{n}"), os.path.join(work, f"hugo-{n}")
    subprocess.run([gen, "--ideas", str(n), "--format", "cncf", "--out", os.path.join(site, "content")],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(site, "trellis.toml"), "w") as f:
        f.write('title = "Synthetic mentorship ideas"\nbase_url = "https://example.org/"\n')
    subprocess.run([gen, "--ideas", str(n), "--format", "hugo", "--out", hsite],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tout, hout = os.path.join(work, f"out-trellis-{n}"), os.path.join(work, f"out-hugo-{n}")
    tools = {
        "trellis": ([trellis, "-q", "--root", site, "build", "--output", tout], tout),
        "hugo": ([hugo, "--quiet", "-s", hsite, "-d", hout], hout),
    }
    for cmd, out in tools.values():  # warm-up
        timed(cmd, out)
    count = big_runs if n >= 100000 else runs
    results = {"trellis": [], "hugo": []}
    for _ in range(count):
        for name, (cmd, out) in tools.items():
            results[name].append(timed(cmd, out))
    copies = []
    for _ in range(min(count, 3)):
        copy = os.path.join(work, f"copy-{n}")
        copies.append(timed(["cp", "-r", tout, copy], copy)[0])
        shutil.rmtree(copy)
    pairs = [t[0] / h[0] for t, h in zip(results["trellis"], results["hugo"])]
    for name in ("trellis", "hugo"):
        cmd, out = tools[name]
        files, size, largest = output_size(out)
        sizes_of[(name, n)] = (size, largest)
        wall = median([r[0] for r in results[name]])
        walls[(name, n)] = wall
        rows.append((n, name, count, wall, median([r[1] for r in results[name]]),
                     max(r[2] for r in results[name]), files, size, n / wall))
    rows.append((n, "ratio", count, median(pairs), None, None, None, None, None))
    rows.append((n, "cp -r", len(copies), median(copies), None, None, None, None, None))
    shutil.rmtree(hsite)
    shutil.rmtree(hout, ignore_errors=True)
    print(f"  done: {n} ideas ({count} runs each), load average {open('/proc/loadavg').read().split()[0]}",
          flush=True)

example = []
example_out = os.path.join(work, "out-example")
timed([trellis, "-q", "--root", repo, "build", "--output", example_out], example_out)
for _ in range(5):
    example.append(timed([trellis, "-q", "--root", repo, "build", "--output", example_out], example_out)[0])

print()
print("| ideas | tool | runs | median wall | user+sys CPU | peak RSS | files | bytes | ideas/s |")
print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for n, name, count, wall, cpu, rss, files, size, rate in rows:
    if name == "ratio":
        print(f"| {n:,} | Trellis/Hugo, median of pairs | {count} | {wall:.3f} | | | | | |")
    elif name == "cp -r":
        print(f"| {n:,} | `cp -r` of Trellis's output | {count} | {wall:.2f} s | | | | | |")
    else:
        print(f"| {n:,} | {name} | {count} | {wall:.2f} s | {cpu:.2f} s | {rss / 1024:.0f} MiB "
              f"| {files:,} | {size / 1e6:.1f} MB | {rate:,.0f} |")
for n in sizes:
    t, h = walls[("trellis", n)], walls[("hugo", n)]
    rss = {r[1]: r[5] for r in rows if r[0] == n and r[5]}
    copy = next(r[3] for r in rows if r[0] == n and r[1] == "cp -r")
    print(f"{n:,} ideas: Trellis {t:.2f} s = {t / h:.2f} x Hugo (medians), {t / copy:.1f} x cp -r; "
          f"peak RSS {rss['trellis'] / rss['hugo']:.2f} x Hugo's")
if 10000 in sizes and 100000 in sizes:
    print(f"time(100k)/time(10k): Trellis {walls[('trellis', 100000)] / walls[('trellis', 10000)]:.1f}, "
          f"Hugo {walls[('hugo', 100000)] / walls[('hugo', 10000)]:.1f}")
print()
print("| ideas | tool | total bytes | largest HTML page | bytes per idea |")
print("| ---: | --- | ---: | --- | ---: |")
for n in sizes:
    for name in ("trellis", "hugo"):
        size, (big, path) = sizes_of[(name, n)]
        print(f"| {n:,} | {name} | {size / 1e6:.1f} MB | {big / 1e3:.0f} KB `{path}` | {size / n:,.0f} |")
print(f"example site: median {median(example) * 1000:.0f} ms (min {min(example) * 1000:.0f} ms) over 5 builds")
print(f"load average at the end: {' '.join(open('/proc/loadavg').read().split()[:3])}")
PY
