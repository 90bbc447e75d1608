"""The one timing helper of the benchmarks (they print numbers; nothing here asserts)."""

import time


def call_times_ms(action, runs: int) -> list[float]:
    """Wall times of `runs` calls of `action`, in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times
