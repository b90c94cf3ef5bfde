#!/usr/bin/env bash
# The development server under load: `versus watch` (release build) serving a
# copy of the bundled site, driven by wrk from loopback, first idle, then
# while a loop keeps saving the requested page (so rebuilds run all the
# time). Every response is checked by a wrk Lua script: status 200, the
# page's <title>, and the end of the document (`</html>`), so a torn or
# wrong page counts as bad. Prints requests per second, latency percentiles,
# errors and the checks, with the machine.
#
# usage: benches/serve_load.sh [-d SECONDS] [-c CONNECTIONS] [-t THREADS] [-p PAGE] [-s SITE_DIR] [-i SAVE_INTERVAL]
#   -d  duration of each wrk run (10)
#   -c  open connections (16)       -t  wrk threads (2)
#   -p  page to request (/speed.html); its source is found from the path
#   -s  site to copy (the bundled site, this repository's root)
#   -i  pause between two saves in the rebuild loop, seconds (0.02)
# Needs wrk (Debian package `wrk`) and curl. VERSUS=BINARY skips the build.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
duration=10 connections=16 threads=2 page=/speed.html site="$root" interval=0.02
while getopts "d:c:t:p:s:i:h" opt; do
  case "$opt" in
    d) duration=$OPTARG ;;
    c) connections=$OPTARG ;;
    t) threads=$OPTARG ;;
    p) page=$OPTARG ;;
    s) site=$OPTARG ;;
    i) interval=$OPTARG ;;
    *) sed -n '2,18p' "$0"; exit 2 ;;
  esac
done

for program in wrk curl; do
  command -v "$program" >/dev/null || { echo "serve_load.sh: $program is not installed (Debian: apt-get install $program)" >&2; exit 1; }
done

# VERSUS=path/to/versus uses that binary instead of a fresh release build.
versus="${VERSUS:-}" build="release build of $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') and the working tree"
if [ -z "$versus" ]; then
  (cd "$root" && cargo build --release --quiet)
  versus="$root/target/release/versus"
else
  build="$versus"
fi

work="$(mktemp -d)"
watch_pid="" saver_pid=""
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  if [ -n "$saver_pid" ]; then kill "$saver_pid" 2>/dev/null || true; fi
  if [ -n "$watch_pid" ]; then kill "$watch_pid" 2>/dev/null || true; fi
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A copy of the site (the original is never touched).
mkdir -p "$work/site"
for part in versus.toml content themes templates static; do
  [ -e "$site/$part" ] && cp -r "$site/$part" "$work/site/"
done
source_rel="${page#/}"
source_rel="content/${source_rel%.html}.md"
[ -f "$work/site/$source_rel" ] || { echo "no $source_rel for $page in $site" >&2; exit 1; }

"$versus" watch --port 0 --root "$work/site" 2>"$work/watch.log" &
watch_pid=$!
port=""
for _ in $(seq 600); do
  port="$(grep -o 'http://127.0.0.1:[0-9]*/' "$work/watch.log" | head -1 | sed 's/.*:\([0-9]*\)\//\1/')" || true
  [ -n "$port" ] && break
  kill -0 "$watch_pid" 2>/dev/null || { cat "$work/watch.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "versus watch did not start serving" >&2; cat "$work/watch.log" >&2; exit 1; }
url="http://127.0.0.1:$port$page"

body="$(curl -sf "$url")"
title="$(printf '%s' "$body" | grep -o '<title>[^<]*</title>' | head -1)"
[ -n "$title" ] || { echo "no <title> in $url" >&2; exit 1; }
bytes="$(printf '%s' "$body" | wc -c)"

cat >"$work/check.lua" <<'LUA'
-- Counts responses that are not the expected page: status 200, holding the
-- page's <title> and ending the document.
local marker = os.getenv("MARKER")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) good = 0; bad = 0; first_bad = "" end
function response(status, headers, body)
  if status == 200 and body:find(marker, 1, true) and body:find("</html>", 1, true) then
    good = good + 1
  else
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. #body .. " bytes" end
  end
end
function done(summary, latency, requests)
  local g, b, first = 0, 0, ""
  for _, t in ipairs(threads) do
    g = g + t:get("good"); b = b + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  io.write(string.format("CHECKED good=%d bad=%d %s\n", g, b, first))
end
LUA

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(uname -sr)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); versus: $build"
echo "site: $(grep -m1 '^built' "$work/watch.log"); page $page ($bytes bytes served, $title)"
echo "wrk -t$threads -c$connections -d${duration}s --latency, every response checked by a Lua script"
echo

run() { # label
  local out
  out="$(MARKER="$title" wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$work/check.lua" "$url" 2>&1)"
  local rps p50 p99 non2xx errors checked
  rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  errors="$(grep 'Socket errors' <<<"$out" | sed 's/^ *//')" || true
  checked="$(grep '^CHECKED' <<<"$out")"
  printf '%-28s %10s req/s   p50 %8s   p99 %8s   non-2xx %s   %s   %s\n' \
    "$1" "$rps" "$p50" "$p99" "${non2xx:-0}" "${errors:-socket errors: none}" "$checked"
  if [ -n "${VERBOSE:-}" ]; then printf '%s\n' "$out"; fi
  case "$checked" in *"bad=0 "*) ;; *) echo "FAILED: bad responses in: $1" >&2; failed=1 ;; esac
  [ -z "$non2xx" ] || { echo "FAILED: non-2xx responses in: $1" >&2; failed=1; }
}
failed=0

run "idle"

# Keep saving the page, as editors do (a temp file renamed over it: a page
# written in place can be read half-written, and a rebuild then reports
# its links to the missing half as errors): its text changes, its title stays.
cp "$work/site/$source_rel" "$work/original.md"
tmp="$(dirname "$work/site/$source_rel")/.$(basename "$source_rel").serve_load"
(
  n=0
  while :; do
    n=$((n + 1))
    { cat "$work/original.md"; printf '\nSaved %d times by serve_load.sh.\n' "$n"; } >"$tmp"
    mv "$tmp" "$work/site/$source_rel"
    sleep "$interval"
  done
) &
saver_pid=$!
before="$(grep -c '^rebuilt' "$work/watch.log" || true)"
run "rebuilding all the time"
after="$(grep -c '^rebuilt' "$work/watch.log" || true)"
kill "$saver_pid"; wait "$saver_pid" 2>/dev/null || true; saver_pid=""
times="$(grep '^rebuilt' "$work/watch.log" | tail -n +"$((before + 1))" | sed 's/.* in \([0-9.]*\) ms/\1/' | sort -n)"
count="$(printf '%s\n' "$times" | grep -c . || true)"
if [ "$count" -gt 0 ]; then
  median="$(printf '%s\n' "$times" | sed -n "$(((count + 1) / 2))p")"
  echo "  $((after - before)) rebuilds during the run (one save every ${interval}s; median $median ms each, as versus logs them)"
fi
if grep -q '^error' "$work/watch.log"; then
  echo "FAILED: versus watch reported errors:" >&2
  grep '^error' "$work/watch.log" | sort | uniq -c >&2
  failed=1
fi
exit "$failed"
