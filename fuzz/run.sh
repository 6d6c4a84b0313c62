#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 300) with cargo fuzz,
# which needs the nightly toolchain, seeded with the repository's own
# documents, rules and configuration. A crash leaves its input in
# fuzz/artifacts/TARGET/; turn it into a regression test, then fix it.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(markdown docx odt pdf rules config lsp fix redline)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

seed() { # TARGET FILE...
  local dir=fuzz/corpus/$1 n=0
  shift
  mkdir -p "$dir"
  [ -z "$(ls -A "$dir")" ] || return 0
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "$dir/$((n += 1))-$(basename "$f")"
  done
  return 0
}
seed markdown sample-tenders/*/*.md tests/fixtures/*/*.md
seed docx tests/formats/*.docx tests/hostile/*.docx
seed fix sample-tenders/*/*.md tests/fixtures/*/*.md rules/fr/*/*.md rules/en/*/*.md
seed redline tests/formats/*.docx tests/hostile/*.docx
seed odt tests/formats/*.odt tests/hostile/*.odt
seed pdf tests/formats/*.pdf tests/hostile/*.pdf
seed rules rules/fr/*.yaml rules/en/*.yaml
mkdir -p fuzz/corpus/config
[ -n "$(ls -A fuzz/corpus/config)" ] || cat > fuzz/corpus/config/seed.yaml <<'YAML'
select: [brand-without-equivalent]
ignore: [free-software-not-considered]
severity: { outdated-ccag-tic: error }
fail-on: warning
lang: fr
kinds: { "dce/**/rc*.md": rc }
per-path-ignores: { "archives/**": [outdated-ccag-tic] }
placeholders: { acheteur: la Ville }
limits: { max-file-bytes: 1000, max-seconds-per-file: 0 }
YAML
mkdir -p fuzz/corpus/lsp

for target in "${targets[@]}"; do
  echo "== $target ($seconds s)"
  cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 \
    -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==.*ERROR|SUMMARY|Done)" || true
done
