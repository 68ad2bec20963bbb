# What every benchmark script starts with, sourced after it has read its own
# arguments (BUILD=0 for --skip-build): where the repository and gen-corpus are,
# a check that the tools it needs are there, and the release binary in $TRELLIS
# (the `profiling` profile: the release build with line tables, for perf).
# Needs $BENCH_NAME, used to say which script is missing something.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The shared data sits beside the repository: ../shared/bench/gen-corpus.
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen-corpus}"

# Stops the script with exit code 2, naming it, if $1 is empty or not found.
missing() {
  echo "$BENCH_NAME: $1 is missing${2:+ ($2)}" >&2
  exit 2
}

# Each argument a command that must be on PATH.
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || missing "$tool"
  done
}

# gen-corpus, then the profiling build of Trellis (unless --skip-build or $TRELLIS).
prepare_trellis() {
  [ -x "$GEN_CORPUS" ] || missing "$GEN_CORPUS" "set GEN_CORPUS"
  if [ "${BUILD:-1}" = 1 ] && [ -z "${TRELLIS:-}" ]; then
    (cd "$REPO" && cargo build --profile profiling --quiet)
  fi
  TRELLIS="${TRELLIS:-$REPO/target/profiling/trellis}"
}
