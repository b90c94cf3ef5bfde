"""The same CPU-bound work split over processes: TASKS computations of
fib(N), shared evenly among WORKERS processes (0 means one per core). Each
worker is a separate interpreter with its own GIL; the parent only hands out
work and adds up the results.
Usage: python3 parallel.py TASKS N WORKERS
"""

import os
import sys
import time
from multiprocessing import Pool


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


# region: worker
def work(share: tuple[int, int]) -> int:
    count, n = share
    return sum(fib(n) for _ in range(count))
# endregion


# region: main
def main(tasks: int, n: int, workers: int) -> None:
    start = time.perf_counter()
    shares = [(tasks // workers + (1 if w < tasks % workers else 0), n)
              for w in range(workers)]
    with Pool(processes=workers) as pool:
        total = sum(pool.map(work, shares, chunksize=1))
    elapsed = (time.perf_counter() - start) * 1000
    print(f"{tasks} x fib({n}) on {workers} worker processes = {total}")
    print(f"time: {elapsed:.3f} ms")
# endregion


if __name__ == "__main__":
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    workers = (int(sys.argv[3]) if len(sys.argv) > 3 else 0) or os.cpu_count() or 1
    main(tasks, n, workers)
