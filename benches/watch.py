#!/usr/bin/env python3
"""Watch-mode benchmark: one-page edits under a running `versus watch`.

For each edit it reports the two figures shared/bench/incremental.py
reports for Hugo and Zola: the rebuild time versus itself logs, and the time
from the file write to the browser's reload event (read from the same
server-sent event stream a browser listens to).

usage: benches/watch.py [--pages 1000] [--edits 20] [--out /dev/shm/versus-bench]
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--out", default="/dev/shm/versus-bench")
    ap.add_argument("--gen", default=os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    versus = os.path.join(ROOT, "target", "release", "versus")
    corpus = os.path.join(args.out, f"corpus-{args.pages}")
    site = os.path.join(corpus, "raw")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, args.gen, "--pages", str(args.pages), "--out", corpus, "--target", "raw"], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(site, "versus.toml"), "w") as f:
            f.write(f'title = "Corpus {args.pages}"\n')

    proc = subprocess.Popen([versus, "watch", "--port", "0", "--root", site], stderr=subprocess.PIPE, text=True)
    log = []
    port = None
    ready = threading.Event()

    def read_log():
        nonlocal port
        for line in proc.stderr:
            log.append((time.perf_counter(), line.rstrip()))
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                ready.set()

    threading.Thread(target=read_log, daemon=True).start()
    if not ready.wait(120):
        sys.exit("versus watch did not start")
    first = next((l for _, l in log if l.startswith("built ")), "")
    print(f"{args.pages} pages: {first}")

    events = socket.create_connection(("127.0.0.1", port))
    events.sendall(b"GET /__versus/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    events.settimeout(30)
    buf = b""

    def wait_event(name):
        nonlocal buf
        needle = f"event: {name}\n".encode()
        while needle not in buf:
            chunk = events.recv(65536)
            if not chunk:
                sys.exit("event stream closed")
            buf += chunk
        i = buf.index(needle)
        end = buf.index(b"\n\n", i) + 2 if b"\n\n" in buf[i:] else len(buf)
        buf = buf[end:]
        return time.perf_counter()

    wait_event("hello")
    pages = sorted(
        os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content")) for f in fs if f.endswith(".md")
    )
    page = pages[len(pages) // 2]
    with open(page) as f:
        original = f.read()
    to_event, logged = [], []
    try:
        for i in range(args.edits):
            # Let the previous edit's site-wide files finish, and forget their events.
            time.sleep(1.5)
            events.setblocking(False)
            try:
                while events.recv(65536):
                    pass
            except BlockingIOError:
                pass
            events.setblocking(True)
            events.settimeout(30)
            buf = b""
            n_log = len(log)
            with open(page, "w") as f:
                f.write(original + f"\nEdit number {i} for the benchmark.\n")
            t0 = time.perf_counter()
            t1 = wait_event("reload")
            to_event.append((t1 - t0) * 1000)
            deadline = time.time() + 5
            while time.time() < deadline:
                rebuilt = [l for _, l in log[n_log:] if l.startswith("rebuilt")]
                if rebuilt:
                    logged.append(float(re.search(r"in ([\d.]+) ms", rebuilt[-1]).group(1)))
                    break
                time.sleep(0.005)
    finally:
        with open(page, "w") as f:
            f.write(original)
        time.sleep(0.3)
        proc.terminate()
        proc.wait(10)

    print(f"edited {os.path.relpath(page, site)} {args.edits} times")
    print(f"page rebuild as logged by versus (from the first file event): median {statistics.median(logged):.1f} ms, "
          f"min {min(logged):.1f}, max {max(logged):.1f}")
    print(f"file write -> reload event: median {statistics.median(to_event):.1f} ms, "
          f"min {min(to_event):.1f}, max {max(to_event):.1f}")


if __name__ == "__main__":
    main()
