#!/usr/bin/env python3
"""Long watch soak: thousands of random edits against a running `versus watch`.

Runs the soak test of tests/soak.rs in a release build with more edits (the
edits, the checkpoints comparing the served site with a clean `versus build`,
and the memory samples are the test's), then prints the figures: edits per
second (set by the test's own pauses between edits, not by versus), the
rebuild time versus logs (median, p99), the failed rebuilds (the broken
saves the soak makes on purpose, and any other), and the resident memory of
the watch process over the run. The run fails, like the test, when the
served site ever differs from a clean build or memory grows.

usage: benches/soak.py [--edits 3000] [--pages 40] [--check-every 25] [--seed N] [--debug]
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model or platform.processor()}), {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=3000)
    ap.add_argument("--pages", type=int, default=40, help="pages at the start")
    ap.add_argument("--check-every", type=int, default=25, help="edits between checkpoints")
    ap.add_argument("--seconds", type=int, default=3600, help="cap on the edit phase")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--debug", action="store_true", help="use a debug build (the default is release)")
    args = ap.parse_args()

    env = dict(os.environ)
    env.update({
        "SOAK_EDITS": str(args.edits),
        "SOAK_PAGES": str(args.pages),
        "SOAK_CHECK_EVERY": str(args.check_every),
        "SOAK_SECONDS": str(args.seconds),
    })
    if args.seed is not None:
        env["SOAK_SEED"] = str(args.seed)
    cmd = ["cargo", "test", "--quiet"] + ([] if args.debug else ["--release"]) + [
        "--test", "soak", "--", "--exact",
        "watch_serves_a_clean_build_after_random_edits_and_memory_stays_flat", "--nocapture",
    ]
    print(f"machine: {machine()}")
    print(f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print("running:", " ".join(f"{k}={env[k]}" for k in sorted(env) if k.startswith("SOAK_")), " ".join(cmd), flush=True)
    started = time.time()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    wall = time.time() - started
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith("SOAK-RESULT "):
            result = json.loads(line.split(" ", 1)[1])
        elif line.startswith("soak:"):
            print(line)
    if proc.returncode != 0 or result is None:
        print(proc.stdout[-20000:])
        sys.exit(f"soak failed (exit {proc.returncode})")

    r = result
    mib = lambda k: f"{k / 1024:.1f} MiB"
    print()
    print(f"seed {r['seed']}; {r['edits']} edits in {r['edit_seconds']:.1f} s ({r['edits_per_second']:.0f} edits/s); "
          f"{r['pages_at_end']} pages at the end; whole run {wall:.0f} s")
    print("edits by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(r["kinds"].items())))
    print(f"rebuilds: {r['rebuilds_full']} full, {r['rebuilds_incremental']} incremental, {r['failed_rebuilds']} failed "
          f"(errors shown: {'; '.join(f'{v}x {k}' for k, v in r['error_kinds'].items()) or 'none'})")
    print(f"rebuild time as logged by versus (first file event to pages served): median {r['rebuild_ms_median']:.1f} ms, "
          f"p99 {r['rebuild_ms_p99']:.1f} ms")
    print(f"browser events received: {r['reload_events']} reload, {r['error_events']} build-error")
    settle = sorted(r["settle_ms"])
    print(f"checkpoints: {r['checkpoints']} ({r['segments_incremental_only']} after incremental-only edits, "
          f"{r['segments_with_structure']} after edits adding, removing or renaming pages), {r['files_compared']} files "
          f"compared byte for byte, all equal; settle time median {settle[len(settle) // 2]:.0f} ms, max {settle[-1]:.0f} ms")
    print(f"RSS of versus watch: start {mib(r['rss_kib_start'])}, median after the first tenth of the edits "
          f"{mib(r['rss_kib_baseline_median'])}, median of the last tenth {mib(r['rss_kib_last_median'])}, "
          f"max {mib(r['rss_kib_max'])} ({r['rss_samples']} samples)")
    print("RSS median by tenth of the run: " + ", ".join(f"{k / 1024:.1f}" for k in r["rss_kib_median_by_tenth"]) + " MiB")


if __name__ == "__main__":
    main()
