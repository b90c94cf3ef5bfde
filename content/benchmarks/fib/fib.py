"""Recursive Fibonacci: nothing but function calls and small-integer
arithmetic, so it measures the execution engine itself.
Usage: python3 fib.py N
"""

import sys
import time


# region: fib
def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)
# endregion


# region: main
n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
start = time.perf_counter()
result = fib(n)
elapsed = (time.perf_counter() - start) * 1000
print(f"fib({n}) = {result}")
print(f"time: {elapsed:.3f} ms")
# endregion
