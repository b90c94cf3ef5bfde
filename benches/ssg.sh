#!/usr/bin/env bash
# Full-build benchmark: versus beside Hugo, Zola and mdBook on the same
# generated corpus (shared/bench/gen_corpus.py), median wall time of RUNS
# and peak memory of one more run, with the ratio of each tool to versus.
#
# usage: benches/ssg.sh [--disk] [PAGES...]        (default: 100 1000)
#   RUNS=5 (runs per tool), OUT=/dev/shm/versus-bench (corpora, and outputs
#   unless --disk: on tmpfs the figures are compute, not the disk),
#   --disk: every tool writes its output to DISK=/work/ssgdisk instead (a
#   folder on a real disk, as authors build), with `sync` before each run so
#   one run's write-back does not land in the next one's time; the corpora
#   stay in OUT. GEN=path/to/gen_corpus.py,
#   MDBOOK_MAX=1000 (mdBook grows quadratically: 10,000 pages take it about
#   15 minutes a run, so it is skipped above this many pages; it is timed
#   twice, as generated and with its search index turned off),
#   VERSUS=path/to/versus (time that binary instead of building this tree's
#   release binary, e.g. a copy of the one before a change)
# After timing, the versus output is checked with the corpus's verify_build.py
# and compared byte for byte with a single-threaded build (RAYON_NUM_THREADS=1).
# Needs python3, /usr/bin/time; hyperfine, hugo, zola, mdbook where present.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=""
if [ "${1:-}" = --disk ]; then DEST=${DISK:-/work/ssgdisk}; shift; fi
PAGES=("${@:-100 1000}")
[ $# -eq 0 ] && PAGES=(100 1000)
RUNS=${RUNS:-5}
MDBOOK_MAX=${MDBOOK_MAX:-1000}
OUT=${OUT:-/dev/shm/versus-bench}
GEN=${GEN:-../shared/bench/gen_corpus.py}
[ -f "$GEN" ] || { echo "no corpus generator at $GEN (set GEN=)"; exit 2; }
if [ -z "${VERSUS:-}" ]; then
  cargo build --release --quiet
  VERSUS=$PWD/target/release/versus
fi
# Every versus run is a clean build: the build cache (.versus/) would make
# the second run onwards a rebuild of nothing (benches/cache.sh times that).
CLEAN=()
if "$VERSUS" build --help | grep -q -- --clean; then CLEAN=(--clean); fi
mkdir -p "$OUT"
DEST=${DEST:-$OUT}
mkdir -p "$DEST"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"

median_of() {  # command... -> median wall seconds over RUNS
  local times=()
  for _ in $(seq "$RUNS"); do
    local t0 t1
    [ "$DEST" = "$OUT" ] || sync
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    times+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

peak_mb() {  # command... -> peak RSS in MB of one run
  [ "$DEST" = "$OUT" ] || sync
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'
}

for N in "${PAGES[@]}"; do
  CORPUS=$OUT/corpus-$N
  if [ ! -d "$CORPUS/raw" ] || [ ! -d "$CORPUS/hugo" ]; then
    python3 "$GEN" --pages "$N" --out "$CORPUS" >/dev/null
    printf 'title = "Corpus %s"\n' "$N" > "$CORPUS/raw/versus.toml"
  fi
  echo
  echo "== $N pages (median of $RUNS, outputs on $DEST)"
  printf '%-18s %10s %10s %12s %10s\n' tool "wall s" "ms/page" "peak MB" "vs versus"
  v=$(median_of "$VERSUS" build "${CLEAN[@]}" --quiet --root "$CORPUS/raw" --out "$DEST/out-versus-$N")
  vm=$(peak_mb "$VERSUS" build "${CLEAN[@]}" --quiet --root "$CORPUS/raw" --out "$DEST/out-versus-$N")
  printf '%-18s %10.3f %10.3f %12s %10s\n' versus "$v" "$(echo "$v*1000/$N" | bc -l)" "$vm" "1.00x"
  row() {  # name dir command...
    local name=$1 dir=$2; shift 2
    local t m
    t=$(cd "$dir" && median_of "$@")
    m=$(cd "$dir" && peak_mb "$@")
    printf '%-18s %10.3f %10.3f %12s %9.2fx\n' "$name" "$t" "$(echo "$t*1000/$N" | bc -l)" "$m" "$(echo "$t/$v" | bc -l)"
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; best_name=$name; fi
  }
  best=""; best_name=""
  command -v hugo >/dev/null && [ -d "$CORPUS/hugo" ] && row hugo "$CORPUS/hugo" hugo --quiet -d "$DEST/out-hugo-$N"
  command -v zola >/dev/null && row zola "$CORPUS/zola" zola build -o "$DEST/out-zola-$N" --force
  if command -v mdbook >/dev/null; then
    if [ "$N" -le "$MDBOOK_MAX" ]; then
      row mdbook "$CORPUS/mdbook" mdbook build -d "$DEST/out-mdbook-$N"
      # The same book without its search index (the issue's reference table
      # has this column): a copy with search turned off in book.toml.
      NOSEARCH=$CORPUS/mdbook-nosearch
      if [ ! -d "$NOSEARCH" ]; then
        cp -r "$CORPUS/mdbook" "$NOSEARCH"
        printf '\n[output.html.search]\nenable = false\n' >> "$NOSEARCH/book.toml"
      fi
      row "mdbook, no search" "$NOSEARCH" mdbook build -d "$DEST/out-mdbook-nosearch-$N"
    else
      echo "mdbook: skipped above MDBOOK_MAX=$MDBOOK_MAX pages"
    fi
  fi
  if [ -n "$best" ]; then
    printf 'fastest other tool: %s, %.2fx the time of versus\n' "$best_name" "$(echo "$best/$v" | bc -l)"
  fi
  if [ -f "$(dirname "$GEN")/verify_build.py" ]; then
    python3 "$(dirname "$GEN")/verify_build.py" "$DEST/out-versus-$N" --pages "$N" --raw "$CORPUS/raw/content" | tail -2
  fi
  RAYON_NUM_THREADS=1 "$VERSUS" build "${CLEAN[@]}" --quiet --root "$CORPUS/raw" --out "$DEST/out-versus-$N-1thread"
  if diff -rq "$DEST/out-versus-$N" "$DEST/out-versus-$N-1thread" >/dev/null; then
    echo "output byte-identical to a single-threaded build"
  else
    echo "FAIL: output differs from a single-threaded build"; exit 1
  fi
done
