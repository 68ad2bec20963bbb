#!/usr/bin/env bash
# Runs one fuzz target for a while, one job on one core, and prints libFuzzer's
# closing figures. Usage: fuzz/run.sh TARGET [SECONDS]  (default 600).
# The toolchain is stable; RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the nightly-only
# sanitizer flags it needs.
set -euo pipefail
cd "$(dirname "$0")"
target="$1"
seconds="${2:-600}"
case "$target" in
  parse_term_file) max_len=4096; extra=(-dict=dict/term_file.dict) ;;
  *) max_len=1024; extra=() ;;
esac
[ -d "corpus/$target" ] || ./seed.sh
mkdir -p logs
RUSTC_BOOTSTRAP=1 cargo fuzz run -O "$target" -- \
  -max_total_time="$seconds" -jobs=1 -timeout=10 -max_len="$max_len" "${extra[@]}" \
  > "logs/$target.out" 2>&1 || true
mv -f fuzz-0.log "logs/$target.log" 2>/dev/null || true
grep -E "^Done|ERROR|panicked|SUMMARY" "logs/$target.log" "logs/$target.out" || true
