#!/usr/bin/env bash
# Seeds each target's corpus from real term files (default: ../shared/corpus, or
# $TRELLIS_CORPUS). The seeds are copied at run time and never committed: the
# term files belong to their authors (see the corpus's LICENSE files).
set -euo pipefail
cd "$(dirname "$0")"
src="${TRELLIS_CORPUS:-$(cd ../.. && pwd)/shared/corpus}"
[ -d "$src" ] || { echo "no corpus at $src" >&2; exit 1; }
for t in parse_term_file front_matter tokenize mentors skills; do mkdir -p "corpus/$t"; done
for f in "$src"/*.md; do
  name=$(basename "$f")
  cp "$f" "corpus/parse_term_file/$name"
  cp "$f" "corpus/tokenize/$name"
  head -c 4096 "$f" > "corpus/front_matter/$name"
done
printf '+++\ntitle = "T"\nstart = 2026-03-02\nstatus = "open"\n[[timeline]]\nevent = "Apply"\ndate = "2026-01-26"\n+++\n# Body\n' > corpus/front_matter/toml.md
# One seed per field value: the text after the label, as the sub-parsers see it.
n=0
grep -h -i -E '^\s*[-*] \**(mentor|recommended skill|skill)' "$src"/*.md | while IFS= read -r line; do
  n=$((n + 1))
  value="${line#*:}"
  case "$line" in
    *[Mm]entor*) printf '%s\n' "$value" > "corpus/mentors/seed-$n" ;;
    *) printf '%s\n' "$value" > "corpus/skills/seed-$n" ;;
  esac
done
for t in parse_term_file front_matter tokenize mentors skills; do
  echo "$t: $(ls "corpus/$t" | wc -l) seeds"
done
