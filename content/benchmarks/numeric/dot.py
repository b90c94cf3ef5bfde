"""Dot product of two arrays of N float64 numbers, done 5 times: plain
Python over two lists, or NumPy over two arrays (`--numpy`), the way numeric
Python code is written in practice. The arrays are filled the same way in
both (and in dot.js), and only the dot products are timed.
NumPy's dot product runs in OpenBLAS, which may use several threads; this
keeps it to one, like the other versions (set before NumPy is imported).
Usage: python3 dot.py N [--numpy]
"""

import os
import sys
import time

os.environ["OPENBLAS_NUM_THREADS"] = "1"

REPEAT = 5


# region: plain
def dot(a: list[float], b: list[float]) -> float:
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total
# endregion


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    use_numpy = "--numpy" in sys.argv[2:]
    # x_i = (i mod 1000) / 1000 and y_i = ((i * 7) mod 1000) / 1000: exact
    # in float64, so every version sums the same numbers.
    if use_numpy:
        import numpy as np

        i = np.arange(n, dtype=np.int64)
        a = (i % 1000) / 1000.0
        b = ((i * 7) % 1000) / 1000.0
        # region: numpy
        run = lambda: float(np.dot(a, b))  # noqa: E731
        # endregion
    else:
        a = [(i % 1000) / 1000.0 for i in range(n)]
        b = [((i * 7) % 1000) / 1000.0 for i in range(n)]
        run = lambda: dot(a, b)  # noqa: E731
    start = time.perf_counter()
    for _ in range(REPEAT):
        result = run()
    elapsed = (time.perf_counter() - start) * 1000
    print(f"dot = {result:.6e}")
    print(f"time: {elapsed:.3f} ms")


main()
