#!/usr/bin/env bash
# The build cache (.versus/): on the shared generated corpus, a clean
# build, a second build with nothing changed, and builds after editing one
# page, each the median wall time of RUNS; then the cached output is
# compared byte for byte with a clean build of the same sources, and Hugo
# and Zola (where installed) are timed on the same corpus in the same run.
#
# usage: benches/cache.sh [PAGES...]          (default: 10000)
#   RUNS=5, OUT=/dev/shm/versus-bench (the corpora), DISK=/work/ssgdisk
#   (where the site copy, its cache and every output go: a real disk, as
#   authors build; `sync` before each run), GEN=path/to/gen_corpus.py,
#   VERSUS=path/to/versus (that binary instead of this tree's release build).
# Each edit appends a sentence to a different page (so no two runs edit the
# same one), as an author's save does.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=("${@:-10000}")
[ $# -eq 0 ] && PAGES=(10000)
RUNS=${RUNS:-5}
OUT=${OUT:-/dev/shm/versus-bench}
DISK=${DISK:-/work/ssgdisk}
GEN=${GEN:-../shared/bench/gen_corpus.py}
[ -f "$GEN" ] || { echo "no corpus generator at $GEN (set GEN=)"; exit 2; }
if [ -z "${VERSUS:-}" ]; then
  cargo build --release --quiet
  VERSUS=$PWD/target/release/versus
fi
mkdir -p "$OUT" "$DISK"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"

seconds() {  # command... -> wall seconds of one run, after a sync
  local t0 t1
  sync
  t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

median() {  # numbers on stdin -> their median
  sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

for N in "${PAGES[@]}"; do
  CORPUS=$OUT/corpus-$N
  if [ ! -d "$CORPUS/raw" ]; then
    python3 "$GEN" --pages "$N" --out "$CORPUS" >/dev/null
    printf 'title = "Corpus %s"\n' "$N" > "$CORPUS/raw/versus.toml"
  fi
  SITE=$DISK/cache-site-$N
  rm -rf "$SITE" "$DISK/cache-clean-$N"
  cp -r "$CORPUS/raw" "$SITE"
  mapfile -t PAGE_FILES < <(cd "$SITE" && find content -name '*.md' ! -name '_index.md' | sort)
  echo
  echo "== $N pages (median of $RUNS, site, cache and output on $DISK)"
  clean=() same=() edit=()
  for i in $(seq "$RUNS"); do
    clean+=("$(seconds "$VERSUS" build --quiet --clean --root "$SITE")")
  done
  for i in $(seq "$RUNS"); do
    same+=("$(seconds "$VERSUS" build --quiet --root "$SITE")")
  done
  for i in $(seq "$RUNS"); do
    page=${PAGE_FILES[$((i * 97 % ${#PAGE_FILES[@]}))]}
    printf '\nA sentence added by benches/cache.sh, run %s.\n' "$i" >> "$SITE/$page"
    edit+=("$(seconds "$VERSUS" build --quiet --root "$SITE")")
  done
  c=$(printf '%s\n' "${clean[@]}" | median)
  s=$(printf '%s\n' "${same[@]}" | median)
  e=$(printf '%s\n' "${edit[@]}" | median)
  printf '%-34s %8.3f s\n' "versus, clean build (--clean)" "$c"
  printf '%-34s %8.3f s   (%s)\n' "versus, nothing changed" "$s" "${same[*]}"
  printf '%-34s %8.3f s   (%s)\n' "versus, one page edited" "$e" "${edit[*]}"
  "$VERSUS" build --quiet --clean --root "$SITE" --out "$DISK/cache-clean-$N" >/dev/null 2>&1
  if diff -r "$SITE/public" "$DISK/cache-clean-$N" >/dev/null; then
    echo "cached output = clean build, byte for byte"
  else
    echo "CACHED OUTPUT DIFFERS FROM A CLEAN BUILD"; exit 1
  fi
  rm -rf "$DISK/cache-clean-$N"
  if command -v hugo >/dev/null && [ -d "$CORPUS/hugo" ]; then
    h=$(for _ in $(seq "$RUNS"); do (cd "$CORPUS/hugo" && seconds hugo --quiet -d "$DISK/cache-hugo-$N"); done | median)
    printf '%-34s %8.3f s   (%.1fx the edit build)\n' "hugo, clean build" "$h" "$(echo "$h/$e" | bc -l)"
  fi
  if command -v zola >/dev/null && [ -d "$CORPUS/zola" ]; then
    z=$(for _ in $(seq "$RUNS"); do (cd "$CORPUS/zola" && seconds zola build -o "$DISK/cache-zola-$N" --force); done | median)
    printf '%-34s %8.3f s   (%.1fx the edit build)\n' "zola, clean build" "$z" "$(echo "$z/$e" | bc -l)"
  fi
done
