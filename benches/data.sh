#!/usr/bin/env bash
# What data-backed tables and charts cost: builds N pages that each show a
# comparison matrix, a benchmark table and a benchmark chart, and the same
# N pages with the shortcode lines removed; prints the median wall time of
# each (RUNS runs) and the difference per table.
# usage: benches/data.sh [N]     (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
RUNS=${RUNS:-5}
DIR=${OUT:-/dev/shm/versus-bench}/data-$N
cargo build --release --quiet
VERSUS=$PWD/target/release/versus
rm -rf "$DIR" && mkdir -p "$DIR/with/content/data" "$DIR/without/content"
for site in with without; do printf 'title = "Data %s"\n' "$N" > "$DIR/$site/versus.toml"; done
python3 - "$DIR" "$N" <<'PY'
import sys, random
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
for i in range(n):
    rows = "".join(
        f'[[rows]]\ncriterion = "Criterion {k}"\n"Node.js" = "Node text {k}"\n"Python" = "Python text {k}"\nedge = "{rnd.choice(["Node.js", "Python", "tie"])}"\nnote = "A *note* {k}."\n\n'
        for k in range(6))
    open(f"{d}/with/content/data/m{i}.toml", "w").write(f'title = "Matrix {i}"\nsubjects = ["Node.js", "Python"]\n\n{rows}')
    lines = ["benchmark,subject,metric,unit,value,better"]
    for b in range(4):
        for s in ("Node.js", "CPython", "PyPy"):
            for _ in range(5):
                lines.append(f"bench {b},{s},time,ms,{rnd.uniform(1, 500):.2f},lower")
    open(f"{d}/with/content/data/b{i}.csv", "w").write("\n".join(lines) + "\n")
    body = f"+++\ntitle = \"Page {i}\"\n+++\n## Results\n\nSome text about page {i}.\n\n"
    shortcodes = f'{{{{ compare(data="data/m{i}.toml") }}}}\n\n{{{{ bench_table(data="data/b{i}.csv") }}}}\n\n{{{{ bench_chart(data="data/b{i}.csv") }}}}\n'
    open(f"{d}/with/content/p{i}.md", "w").write(body + shortcodes)
    open(f"{d}/without/content/p{i}.md", "w").write(body)
PY
median() {
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l
  done | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}
with=$(median "$VERSUS" build --clean --quiet --root "$DIR/with" --out "$DIR/out-with")
without=$(median "$VERSUS" build --clean --quiet --root "$DIR/without" --out "$DIR/out-without")
printf '%d pages, each with a matrix, a benchmark table and a chart (median of %d)\n' "$N" "$RUNS"
printf 'with the data shortcodes:    %.3f s\nwithout them:                %.3f s\n' "$with" "$without"
printf 'cost of the 3 x %d data blocks: %.3f s, %.3f ms per block\n' "$N" "$(echo "$with - $without" | bc -l)" "$(echo "($with - $without) * 1000 / (3 * $N)" | bc -l)"
