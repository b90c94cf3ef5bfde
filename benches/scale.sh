#!/usr/bin/env bash
# Scale benchmark: versus alone on the shared generator's corpora of
# growing size, to check that time and memory grow linearly in pages.
# Prints, per corpus, the median wall time of RUNS builds, ms per page,
# the peak RSS of each run, and the ratio of ms/page to the smallest corpus.
#
# usage: benches/scale.sh [PAGES...]       (default: 10000 100000)
#   RUNS=3, OUT=/dev/shm/versus-scale (outputs on tmpfs: compute, not the
#   disk), CORPORA=/tmp/versus-corpora, GEN=../shared/bench/gen_corpus.py
# Corpora are generated once and kept under CORPORA; each build's input is
# read once beforehand so that every run starts from the page cache.
# A 100,000-page output takes about 7 GB: OUT needs that much room.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=("$@")
[ $# -eq 0 ] && PAGES=(10000 100000)
RUNS=${RUNS:-3}
OUT=${OUT:-/dev/shm/versus-scale}
CORPORA=${CORPORA:-/tmp/versus-corpora}
GEN=${GEN:-../shared/bench/gen_corpus.py}
[ -f "$GEN" ] || { echo "no corpus generator at $GEN (set GEN=)"; exit 2; }
cargo build --release --quiet
VERSUS=$PWD/target/release/versus
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; versus $(git rev-parse --short HEAD)"
printf '%-9s %-9s %-10s %-9s %-22s %s\n' pages built median ms/page "peak RSS (MB)" "ms/page ratio"
base=""
for n in "${PAGES[@]}"; do
  dir=$CORPORA/corpus-$n
  if [ ! -f "$dir/raw/versus.toml" ]; then
    python3 "$GEN" --pages "$n" --out "$dir" --target raw >/dev/null
    touch "$dir/raw/versus.toml"
  fi
  find "$dir/raw/content" -type f -exec cat {} + >/dev/null
  times=() peaks=() built=0
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT"
    log=$( { /usr/bin/time -f "TIME %e %M" "$VERSUS" build --clean --root "$dir/raw" --out "$OUT"; } 2>&1 )
    times+=("$(echo "$log" | awk '/^TIME/{print $2}')")
    peaks+=("$(echo "$log" | awk '/^TIME/{printf "%.0f", $3/1024}')")
    built=$(echo "$log" | sed -n 's/^built \([0-9]*\) pages.*/\1/p')
  done
  rm -rf "$OUT"
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  per=$(echo "$med * 1000 / $built" | bc -l)
  [ -z "$base" ] && base=$per
  printf '%-9s %-9s %-10s %-9.3f %-22s %.2f\n' "$n" "$built" "${med} s" "$per" "${peaks[*]}" "$(echo "$per / $base" | bc -l)"
done
