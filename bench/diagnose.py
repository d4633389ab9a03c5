"""Time the full trust-driver diagnosis on simulated surveys (a script, not a test).

Five drivers, trust, a 0-10 recommend score; ``diagnose`` with 1,000 bootstrap
replicates (importance intervals for trust and for recommend, mediation
intervals for all five drivers) plus the ordinal robustness check, then a
what-if simulation with 200 draws. Target: <= 5 s at n = 10,000 on 2 cores.

Usage::

    .venv/bin/python bench/diagnose.py [--sizes 1000 10000 100000] [--bootstrap 1000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loyalty.drivers import diagnose, simulate_whatif  # noqa: E402
from loyalty.drivers.robustness import check_robustness  # noqa: E402
from loyalty.drivers.simulate import simulate_survey  # noqa: E402
from loyalty.schema import DRIVERS, RECOMMEND, TRUST  # noqa: E402


def _timed(func, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def _peak_mb(func, *args, **kwargs) -> float:
    """Peak Python-tracked memory (numpy arrays included) of one call, in MB."""
    tracemalloc.start()
    try:
        func(*args, **kwargs)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def bench(n: int, bootstrap: int, repeat: int) -> dict[str, float]:
    """Return timings (best of ``repeat``) and peak memory for one sample size."""
    survey = simulate_survey(n, seed=n)
    full = min(_timed(diagnose, survey, bootstrap=bootstrap, seed=0)[0] for _ in range(repeat))
    core = min(
        _timed(diagnose, survey, bootstrap=bootstrap, seed=0, robustness=False)[0] for _ in range(repeat)
    )
    predictors = [TRUST, *DRIVERS]
    robust = min(
        _timed(check_robustness, survey[RECOMMEND].to_numpy(), survey[predictors].to_numpy(), predictors)[0]
        for _ in range(repeat)
    )
    diagnosis = diagnose(survey, bootstrap=bootstrap, seed=0, robustness=False)
    whatif = min(
        _timed(simulate_whatif, diagnosis, survey, {"service": 1.0}, n_draws=200)[0] for _ in range(repeat)
    )
    return {
        "n": n,
        "full": full,
        "core": core,
        "robust": robust,
        "whatif": whatif,
        "peak": _peak_mb(diagnose, survey, bootstrap=bootstrap, seed=0),
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2, help="runs per size; the best time is shown")
    args = parser.parse_args()
    diagnose(simulate_survey(500, seed=1), bootstrap=10)  # warm-up: imports, first-call overheads
    print(f"bootstrap = {args.bootstrap}, five drivers, mediation for five drivers, best of {args.repeat}")
    header = (
        f"{'n':>8} | {'diagnose s':>10} | {'w/o robust s':>12} | {'robust s':>8} | {'what-if s':>9} | "
        f"{'peak MB':>8} | {'max RSS MB':>10}"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        r = bench(n, args.bootstrap, args.repeat)
        print(
            f"{r['n']:>8,} | {r['full']:>10.2f} | {r['core']:>12.2f} | {r['robust']:>8.2f} | "
            f"{r['whatif']:>9.2f} | {r['peak']:>8.0f} | {r['maxrss']:>10.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
