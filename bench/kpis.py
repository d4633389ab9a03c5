"""Time and size the KPI engine on big transaction logs, against ``lifetimes`` (a script, not a test).

For each size (default 100k, 1M and 10M rows) the script writes a realistic
transaction log and a matching survey as CSV files in a temporary directory,
then runs every stage in a **fresh subprocess**, so that one stage's memory
never counts towards another's. Wall and CPU time are measured inside the
child around the work only: imports are excluded everywhere, and so is reading
the stage's input, except in ``pipeline``, which starts from the CSV files.
CPU time is the child's own (``time.process_time``): on a busy machine it is
the steadier figure. Peak memory is the child's whole peak resident set
(``ru_maxrss`` from ``os.wait4``), so it includes the interpreter, the
libraries and the stage's input.

Stages
------
ingest
    ``loyalty.ingest.load_file`` on the CSV bytes (read from disk included):
    sniffing, mapping, validation, the canonical frame.
kpis
    All transaction KPIs of :mod:`loyalty.kpi` on the canonical frame, through
    one ``prepare``: retention (both rates per quarter), the monthly cohort table,
    inactivity churn with its data-derived threshold, the repeat purchase rate
    (overall, by cohort, by channel), orders/frequency/AOV, purchase gaps,
    historical CLV with its summary, and RFM segments.
clv
    :mod:`loyalty.clv`: ``summary_data_from_transactions`` (weeks),
    ``fit_bgnbd``, ``fit_gamma_gamma`` and ``predict_clv`` (52 weeks, 10 %/year).
survey
    The survey side: ``load_file`` on the survey CSV, NPS with its CI and
    quarterly trend, driver ratings, and comment themes with their NPS impact.
pipeline
    Everything above in one process, starting from the two CSV files: the
    "read from CSV through all five KPIs" figure the targets refer to.
lifetimes
    The same model work with ``lifetimes`` 0.11.3 (``summary_data_from_transaction_data``
    with daily periods and weeks as the unit, ``BetaGeoFitter``, ``GammaGammaFitter``
    on repeaters with positive spend, ``customer_lifetime_value`` over 12 months),
    in a throw-away virtual environment that the script creates with
    ``python -m venv`` and fills with :data:`LIFETIMES_PINS` (lifetimes is
    unmaintained; these are versions that install and run on Python 3.11).
    Its time excludes ``pandas.read_csv`` (reported separately); the ratio in
    the table is lifetimes' model time ÷ our ``clv`` time.

The data
--------
Customers arrive over three years (2022-2024, growing), buy by a BG/NBD-like
process (Poisson purchases with gamma-distributed rates, dropout after each
purchase with a beta-distributed probability), spend by a Gamma-Gamma model
(two-decimal amounts), order from one of three channels at a time of day, and
refund about 3 % of orders later (a negative row with the same order id). Rows
are customers in random order cut at exactly the requested count, then sorted
by time. About one customer in ten answers the survey once (0-10 recommend,
1-5 trust and driver ratings, an English comment for 40 % of them).

Usage::

    .venv/bin/python bench/kpis.py [--sizes 100k,1M,10M] [--skip-lifetimes] [--out FILE]
                                   [--lifetimes-venv DIR] [--timeout SECONDS] [--seed N]

``--sizes`` takes a comma-separated list (``100k``, ``1M``, ``2.5M``, ``500000``);
``--out`` also writes the markdown table to FILE; ``--lifetimes-venv`` keeps (and
reuses) the lifetimes environment at DIR instead of a temporary one; ``--timeout``
bounds each stage (default 1800 s; a stage past it is reported as a timeout).
``OPENBLAS_NUM_THREADS`` and friends are set to 1 for every stage: the fits do
no large matrix products, and multi-threaded BLAS only adds contention on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SIZES = "100k,1M,10M"
#: Versions that make lifetimes 0.11.3 (2020) install and reproduce CDNOW on Python 3.11.
LIFETIMES_PINS: tuple[str, ...] = (
    "lifetimes==0.11.3",
    "pandas==1.5.3",
    "numpy==1.26.4",
    "scipy==1.11.4",
    "autograd==1.6.2",
    "dill==0.3.8",
)
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
STAGES = ("ingest", "kpis", "clv", "survey", "pipeline")
START_DAY = "2022-01-01"
N_DAYS = 1096  # 2022-01-01 .. 2024-12-31
HORIZON_WEEKS = 52
ANNUAL_DISCOUNT = 0.10
TX_FILE, SURVEY_FILE, FRAME_FILE = "transactions.csv", "survey.csv", "canonical.parquet"
SURVEY_DRIVERS = ("consistency", "communication", "service", "data_security", "reputation")


# --- sizes and formatting -----------------------------------------------------------------


def parse_size(text: str) -> int:
    """Return a row count from ``100k``, ``1M``, ``2.5m`` or ``500000``."""
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    number = text[:-1] if factor > 1 else text
    return int(round(float(number) * factor))


def size_label(rows: int) -> str:
    """Return ``100k``, ``1M`` or ``10M`` for a row count (digits when nothing shorter fits)."""
    for unit, factor in (("M", 1_000_000), ("k", 1_000)):
        if rows >= factor and rows % (factor // 10) == 0:
            value = rows / factor
            return f"{value:g}{unit}"
    return str(rows)


# --- data generation (runs in a child) ----------------------------------------------------


def _customers(rng, n: int) -> dict:
    """Draw each customer's arrival day and BG/NBD and Gamma-Gamma parameters."""
    import numpy as np

    return {
        # sqrt of a uniform: arrivals grow over time, like a growing shop.
        "first": N_DAYS * 0.97 * np.sqrt(rng.random(n)),
        "rate": rng.gamma(0.9, 1 / 60, n),  # purchases per day while alive
        "dropout": rng.beta(0.8, 4.0, n),  # P(leave) after each purchase
        "nu": rng.gamma(4.0, 1 / 30, n),  # spend scale: mean order value 6/nu
    }


def _purchase_times(rng, people: dict) -> tuple:
    """Return (customer, time in days) of every purchase within the three years."""
    import numpy as np

    n = people["first"].size
    repeats = np.minimum(rng.geometric(people["dropout"]), 400) - 1
    owner = np.repeat(np.arange(n), repeats)
    gaps = rng.exponential(1.0, owner.size) / people["rate"][owner]
    running = np.cumsum(gaps)
    ends = np.cumsum(repeats)
    before = np.r_[0.0, running][ends - repeats]  # running total before each customer's gaps
    times = people["first"][owner] + running - np.repeat(before, repeats)
    keep = times < N_DAYS
    return np.r_[np.arange(n), owner[keep]], np.r_[people["first"], times[keep]]


def _order_rows(rng, people: dict, target: int) -> dict:
    """Orders plus refunds, cut to exactly ``target`` rows by whole customers in random order."""
    import numpy as np

    owner, when = _purchase_times(rng, people)
    value = rng.gamma(6.0, 1.0, owner.size) / people["nu"][owner]
    order = np.arange(owner.size)
    refund = rng.random(owner.size) < 0.03
    back = when[refund] + rng.uniform(1, 30, refund.sum())
    share = np.where(rng.random(refund.sum()) < 0.7, 1.0, 0.5)
    inside = back < N_DAYS
    owner = np.r_[owner, owner[refund][inside]]
    when = np.r_[when, back[inside]]
    cents = np.r_[np.round(value * 100), -np.round(value[refund][inside] * share[inside] * 100)]
    order = np.r_[order, order[refund][inside]]
    rank = rng.permutation(people["first"].size)[owner]
    cut = np.lexsort((when, rank))[:target]
    return {"owner": owner[cut], "when": when[cut], "cents": cents[cut].astype(np.int64), "order": order[cut]}


def generate_transactions(rows: int, seed: int) -> dict:
    """Return the columns of a transaction log of exactly ``rows`` rows, sorted by time."""
    import numpy as np

    rng = np.random.default_rng(seed)
    pilot = _purchase_times(np.random.default_rng(seed + 1), _customers(rng, 20_000))[0].size
    per_customer = pilot * 1.03 / 20_000  # orders and ~3 % refunds per customer
    n = int(rows / per_customer * 1.05) + 50
    people = _customers(rng, n)
    out = _order_rows(rng, people, rows)
    if out["owner"].size < rows:
        raise RuntimeError(f"generated {out['owner'].size} rows, wanted {rows}")
    # Order of the file: by time; customer ids are a random relabelling of the arrivals.
    by_time = np.argsort(out["when"], kind="stable")
    out = {k: v[by_time] for k, v in out.items()}
    out["label"] = rng.permutation(n)  # customer index -> the number in its id
    # Order numbers grow with time, as a shop's do; a refund keeps its order's number.
    _, first_row, inverse = np.unique(out["order"], return_index=True, return_inverse=True)
    out["order"] = np.argsort(np.argsort(first_row))[inverse]
    day = np.floor(out["when"]).astype(np.int64)
    # Shop hours: 07:00-23:00, uniformly.
    out["seconds"] = day * 86_400 + rng.integers(7 * 3600, 23 * 3600, day.size)
    out["channel"] = rng.choice(3, day.size, p=[0.6, 0.3, 0.1])
    out["people"] = people
    out["n_customers"] = n
    return out


def _ids(prefix: str, numbers, width: int):
    """Arrow strings ``prefix`` + zero-padded numbers (C0001234)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(prefix, digits, "")


def _timestamps(seconds):
    """Arrow timestamps from seconds after START_DAY (written as 2022-01-03 21:28:00)."""
    import numpy as np
    import pyarrow as pa

    epoch = int(np.datetime64(START_DAY, "s").astype(np.int64))
    return pa.array(seconds + epoch, type=pa.timestamp("s"))


def _amounts(cents):
    """Arrow decimals with two places from whole cents."""
    import pyarrow as pa

    # cents / 100 is the float nearest each decimal, so the rounding cast is exact.
    return pa.array(cents / 100).cast(pa.decimal128(14, 2), safe=False)


def write_csv(path: Path, columns: dict, quote: bool = False) -> None:
    """Write arrow columns as a CSV with a plain header line (fast: pyarrow's writer)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.table(columns)
    options = pcsv.WriteOptions(include_header=False, quoting_style="needed" if quote else "none")
    with path.open("wb") as sink:
        sink.write((",".join(columns) + "\n").encode())
        pcsv.write_csv(table, sink, options)


def write_transactions(path: Path, log: dict) -> None:
    """Write the log as ``order_id,customer_id,order_date,amount,channel``."""
    import numpy as np
    import pyarrow as pa

    channel = pa.DictionaryArray.from_arrays(
        pa.array(log["channel"].astype(np.int32)), ["web", "store", "app"]
    )
    columns = {
        "order_id": _ids("O", log["order"], 8),
        "customer_id": _ids("C", log["label"][log["owner"]], 7),
        "order_date": _timestamps(log["seconds"]),
        "amount": _amounts(log["cents"]),
        "channel": channel.cast(pa.string()),
    }
    write_csv(path, columns)


def _comments(rng, latent, themes) -> list:
    """English comments from the project's phrase bank, polarity following the respondent."""
    from loyalty.synth.comments import phrase_bank

    bank = phrase_bank()["en"]
    names = list(bank)
    out = []
    for value, k in zip(latent, themes, strict=True):
        picks = rng.choice(len(names), k, replace=False)
        polarity = ["positive" if value + rng.normal(0, 0.7) > 0 else "negative" for _ in picks]
        phrases = [bank[names[i]][pol] for i, pol in zip(picks, polarity, strict=True)]
        out.append(" ".join(p[rng.integers(len(p))] for p in phrases))
    return out


def write_survey(path: Path, log: dict, seed: int) -> int:
    """Write a survey of about one customer in ten; return its number of responses."""
    import numpy as np
    import pyarrow as pa

    rng = np.random.default_rng(seed + 7)
    people = log["people"]
    buyers = np.unique(log["owner"])
    who = rng.choice(buyers, max(buyers.size // 10, 200), replace=False)
    # Lower dropout means a happier customer: the latent drives all answers.
    latent = -np.log(people["dropout"][who] / np.median(people["dropout"])) / 1.5 + rng.normal(
        0, 0.8, who.size
    )
    recommend = np.clip(np.round(7 + 1.8 * latent), 0, 10).astype(np.int64)
    first = people["first"][who]
    seconds = ((first + rng.random(who.size) * (N_DAYS - first)) * 86_400).astype(np.int64)
    has_comment = rng.random(who.size) < 0.4
    text = np.full(who.size, None, dtype=object)
    text[has_comment] = _comments(rng, latent[has_comment], rng.integers(1, 3, has_comment.sum()))
    columns = {"customer_id": _ids("C", log["label"][who], 7), "date": _timestamps(seconds)}
    columns["recommend"] = pa.array(recommend)
    for name in ("trust", *SURVEY_DRIVERS):
        rating = np.clip(np.round(3.6 + 0.8 * latent + rng.normal(0, 0.8, who.size)), 1, 5)
        columns[name] = pa.array(rating.astype(np.int64))
    columns["comment"] = pa.array(text, type=pa.string())
    order = np.argsort(seconds)
    write_csv(path, {k: v.take(pa.array(order)) for k, v in columns.items()}, quote=True)
    return int(who.size)


def generate(rows: int, seed: int, folder: Path) -> dict:
    """Write ``transactions.csv`` and ``survey.csv`` of one size; return a description."""
    import numpy as np

    log = generate_transactions(rows, seed)
    write_transactions(folder / TX_FILE, log)
    responses = write_survey(folder / SURVEY_FILE, log, seed)
    return {
        "rows": rows,
        "customers": int(np.unique(log["owner"]).size),
        "refunds": int((log["cents"] < 0).sum()),
        "responses": responses,
        "megabytes": round((folder / TX_FILE).stat().st_size / 2**20, 1),
    }


# --- stages (each runs in its own child process) -----------------------------------------


def ingest_file(path: Path, kind: str):
    """Read a CSV's bytes and ingest them; return the LoadResult."""
    from loyalty.ingest import load_file

    return load_file(path.read_bytes(), path.name, kind=kind)


def transaction_kpis(frame) -> tuple:
    """Compute every transaction KPI from one prepared object; return it and a few headline numbers."""
    from loyalty.kpi.periods import prepare
    from loyalty.kpi.repeat import (
        order_summary,
        purchase_gaps,
        repeat_purchase_rate,
        repeat_rate_by_cohort,
        repeat_rate_by_segment,
    )
    from loyalty.kpi.retention import (
        churn_by_inactivity,
        cohort_table,
        inactivity_threshold_default,
        retention_rates,
    )
    from loyalty.kpi.rfm import rfm_segments, rfm_table
    from loyalty.kpi.value import clv_summary, historical_clv

    data = prepare(frame)
    rates = retention_rates(data, "quarter")
    cohort_table(data, "month")
    threshold = inactivity_threshold_default(data)
    churn = churn_by_inactivity(data, threshold)
    repeat = repeat_purchase_rate(data)
    repeat_rate_by_cohort(data, "month")
    if "channel" in frame.columns:
        repeat_rate_by_segment(data, "channel")
    orders = order_summary(data)
    purchase_gaps(data)
    historical = clv_summary(historical_clv(data))
    segments = rfm_segments(rfm_table(data))
    return data, {
        "periods": len(rates),
        "threshold_days": threshold,
        "churned": round(float(churn.share), 4),
        "repeat_rate": round(float(repeat.value), 4),
        "aov": round(float(orders.aov), 2),
        "historical_mean": round(float(historical.mean), 2),
        "rfm_segments": int((segments["customers"] > 0).sum()),
    }


def clv_model(transactions) -> dict:
    """Summary, BG/NBD, Gamma-Gamma and 52-week CLV of a canonical frame or prepared object."""
    from loyalty.clv import fit_bgnbd, fit_gamma_gamma, predict_clv, summary_data_from_transactions

    summary = summary_data_from_transactions(transactions, time_unit="week")
    bg = fit_bgnbd(summary, time_unit="week")
    gg = fit_gamma_gamma(summary["frequency"], summary["monetary_value"])
    clv = predict_clv(
        bg, gg, summary, horizon=HORIZON_WEEKS, time_unit="week", annual_discount_rate=ANNUAL_DISCOUNT
    )
    return {
        "customers": len(summary),
        "repeaters": int((summary["frequency"] > 0).sum()),
        "bgnbd": [round(v, 4) for v in (bg.r, bg.alpha, bg.a, bg.b)],
        "bgnbd_converged": bool(bg.converged),
        "gamma_gamma": [round(v, 4) for v in (gg.p, gg.q, gg.gamma)],
        "clv_mean": round(float(clv["clv"].mean()), 2),
    }


def survey_kpis(result) -> dict:
    """NPS with CI and trend, driver ratings and comment themes of an ingested survey."""
    from loyalty.kpi.feedback import driver_summary, theme_summary
    from loyalty.kpi.nps import nps, nps_trend
    from loyalty.schema import RECOMMEND

    survey = result.frame
    score = nps(survey[RECOMMEND].dropna())
    nps_trend(survey, "quarter")
    driver_summary(survey, result.scales)
    info = {"nps": round(float(score.value), 1), "responses": len(survey)}
    try:
        themes = theme_summary(survey, lang="en")
    except Exception as err:  # noqa: BLE001 - report a broken theme tagger, keep the other timings
        return {**info, "themes_error": f"{type(err).__name__}: {err}"[:100]}
    return {**info, "themes": int((themes["mentions"] > 0).sum())}


class Timer:
    """Wall and CPU seconds of the code inside ``with``; ``split`` names a part of it."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.parts: dict[str, float] = {}
        self._last = self.wall
        return self

    def split(self, name: str) -> None:
        now = time.perf_counter()
        self.parts[f"{name}_seconds"], self._last = now - self._last, now

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu

    def result(self, **info: object) -> dict:
        return {"seconds": self.wall, "cpu_seconds": self.cpu, **self.parts, **info}


def _stage_ingest(folder: Path) -> dict:
    with Timer() as timer:
        result = ingest_file(folder / TX_FILE, "transactions")
    result.frame.to_parquet(folder / FRAME_FILE)  # the input of the next stages (not timed)
    return timer.result(rows_used=len(result.frame), rejected=len(result.rejected))


def _read_frame(folder: Path):
    import pandas as pd

    return pd.read_parquet(folder / FRAME_FILE)


def _stage_kpis(folder: Path) -> dict:
    frame = _read_frame(folder)
    with Timer() as timer:
        _, info = transaction_kpis(frame)
    return timer.result(**info)


def _stage_clv(folder: Path) -> dict:
    frame = _read_frame(folder)
    with Timer() as timer:
        info = clv_model(frame)
    return timer.result(**info)


def _stage_survey(folder: Path) -> dict:
    with Timer() as timer:
        result = ingest_file(folder / SURVEY_FILE, "survey")
        timer.split("ingest")
        info = survey_kpis(result)
    return timer.result(**info)


def _stage_pipeline(folder: Path) -> dict:
    """CSV files to all five KPIs in one process, with the time of each part."""
    with Timer() as timer:
        frame = ingest_file(folder / TX_FILE, "transactions").frame
        timer.split("ingest")
        prepared, _ = transaction_kpis(frame)
        timer.split("kpis")
        clv_model(prepared)  # the summary reuses the KPIs' encoding of the ids
        timer.split("clv")
        survey_kpis(ingest_file(folder / SURVEY_FILE, "survey"))
        timer.split("survey")
    return timer.result()


def preload() -> None:
    """Import everything the stages use, so that no timing includes an import."""
    import loyalty.clv
    import loyalty.ingest
    import loyalty.kpi.feedback
    import loyalty.kpi.nps
    import loyalty.kpi.repeat
    import loyalty.kpi.retention
    import loyalty.kpi.rfm
    import loyalty.kpi.value
    import loyalty.text  # noqa: F401


def run_stage(name: str, folder: Path) -> dict:
    """Run one stage in this process and return its measurements (called in the child)."""
    preload()
    if name == "generate":
        rows, seed = (int(v) for v in os.environ["BENCH_GENERATE"].split(","))
        with Timer() as timer:
            info = generate(rows, seed, folder)
        return timer.result(**info)
    stage = {
        "ingest": _stage_ingest,
        "kpis": _stage_kpis,
        "clv": _stage_clv,
        "survey": _stage_survey,
        "pipeline": _stage_pipeline,
    }[name]
    return stage(folder)


# --- lifetimes in its own environment ---------------------------------------------------

LIFETIMES_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    path, horizon_months, monthly_discount = sys.argv[1], 12, 0.10 / 12
    start = time.perf_counter()
    df = pd.read_csv(
        path, usecols=["customer_id", "order_date", "amount"], dtype={"customer_id": str},
        parse_dates=["order_date"],
    )
    read, read_cpu = time.perf_counter(), time.process_time()
    # Daily purchase periods with time in weeks: the same convention as ours.
    s = summary_data_from_transaction_data(
        df, "customer_id", "order_date", monetary_value_col="amount", freq="D"
    )
    del df
    s["recency"] = s["recency"] / 7.0
    s["T"] = s["T"] / 7.0
    bg = BetaGeoFitter(penalizer_coef=0.0).fit(s["frequency"], s["recency"], s["T"])
    rep = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    gg = GammaGammaFitter(penalizer_coef=0.0).fit(rep["frequency"], rep["monetary_value"])
    clv = gg.customer_lifetime_value(
        bg, s["frequency"], s["recency"], s["T"], s["monetary_value"],
        time=horizon_months, discount_rate=monthly_discount, freq="W",
    )
    done = time.perf_counter()
    print(json.dumps({
        "seconds": done - read, "cpu_seconds": time.process_time() - read_cpu,
        "read_seconds": read - start, "customers": len(s),
        "bgnbd": [round(float(bg.params_[k]), 4) for k in ("r", "alpha", "a", "b")],
        "gamma_gamma": [round(float(gg.params_[k]), 4) for k in ("p", "q", "v")],
        "clv_mean": round(float(clv.mean()), 2),
    }))
    """
)


def lifetimes_python(venv: Path, log) -> Path:
    """Create (or reuse) a venv with :data:`LIFETIMES_PINS`; return its python."""
    python = venv / "bin" / "python"
    if not python.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(venv)], check=True, stdout=log, stderr=log)
    check = [str(python), "-c", "import lifetimes, autograd"]
    if subprocess.run(check, stdout=log, stderr=log).returncode != 0:
        install = [str(python), "-m", "pip", "install", "--quiet", *LIFETIMES_PINS]
        subprocess.run(install, check=True, stdout=log, stderr=log)
    return python


# --- the parent: children, memory, the table ---------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a stage: single-threaded BLAS, this repository importable."""
    env = dict(os.environ, **dict.fromkeys(THREAD_VARS, "1"), **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def measure_child(command: list[str], env: dict[str, str], timeout: float, errors: Path) -> dict:
    """Run a child, return its JSON result plus ``peak_mb`` (its peak RSS), or an ``error``."""
    with errors.open("wb") as err:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, env=env)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            output = proc.stdout.read()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    lines = output.decode(errors="replace").strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = errors.read_text(errors="replace").strip().splitlines()[-1:] or ["no output"]
        reason = "timeout" if proc.returncode == -9 else f"exit {proc.returncode}: {tail[0][:120]}"
        return {"error": reason, "peak_mb": peak_mb}
    return {**json.loads(lines[-1]), "peak_mb": peak_mb}


def stage_command(name: str, folder: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--stage", name, "--folder", str(folder)]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_size(rows: int, args, folder: Path, lt_python: Path | None) -> dict:
    """Generate one size and run every stage on it; return the measurements."""
    folder.mkdir(parents=True, exist_ok=True)
    errors = folder / "stderr.txt"
    env = child_env(BENCH_GENERATE=f"{rows},{args.seed}")
    results = {"generate": measure_child(stage_command("generate", folder), env, args.timeout, errors)}
    progress(f"{size_label(rows)}: generated {results['generate']}")
    if "error" in results["generate"]:
        return results
    for name in STAGES:
        results[name] = measure_child(stage_command(name, folder), child_env(), args.timeout, errors)
        progress(f"{size_label(rows)}: {name} {results[name]}")
    if lt_python is not None:
        script = folder / "lifetimes_run.py"
        script.write_text(LIFETIMES_SCRIPT)
        command = [str(lt_python), str(script), str(folder / TX_FILE)]
        results["lifetimes"] = measure_child(command, child_env(), args.timeout, errors)
        progress(f"{size_label(rows)}: lifetimes {results['lifetimes']}")
    return results


def _params(values: list | None) -> str:
    return ", ".join(f"{v:.3g}" for v in values or [])


def _note(name: str, result: dict) -> str:
    """A short plain-language note on one stage's result."""
    if name == "ingest":
        return f"{result['rows_used']:,} rows used, {result['rejected']:,} rejected"
    if name == "kpis":
        return (
            f"repeat rate {result['repeat_rate']:.1%}, AOV {result['aov']:.2f}, "
            f"churn threshold {result['threshold_days']} d"
        )
    if name == "clv":
        return (
            f"{result['customers']:,} customers; r, α, a, b = {_params(result['bgnbd'])}; "
            f"p, q, γ = {_params(result['gamma_gamma'])}"
        )
    if name == "survey":
        themes = result.get("themes_error") and f"themes FAILED ({result['themes_error']})"
        themes = themes or f"{result['themes']} themes"
        head = f"{result['responses']:,} responses, ingest {result['ingest_seconds']:.2f} s"
        return f"{head}; NPS {result['nps']:+.1f}, {themes}"
    if name == "pipeline":
        parts = ("ingest", "kpis", "clv", "survey")
        return " + ".join(f"{p} {result[f'{p}_seconds']:.2f}" for p in parts)
    if name == "lifetimes":
        return f"+ read_csv {result['read_seconds']:.2f} s; r, α, a, b = {_params(result['bgnbd'])}"
    return ""


def ratio(results: dict, key: str = "seconds") -> float | None:
    """lifetimes' model time ÷ our CLV stage time (wall or CPU ``key``), when both ran."""
    ours, theirs = results.get("clv", {}), results.get("lifetimes", {})
    if key not in ours or key not in theirs:
        return None
    return theirs[key] / ours[key]


def table_rows(rows: int, results: dict) -> list[str]:
    """Markdown rows of one size."""
    gen = results["generate"]
    label = f"{size_label(rows)} ({gen.get('customers', 0):,} customers)"
    lines = []
    for name in (*STAGES, "lifetimes"):
        if name not in results:
            continue
        result = results[name]
        vs = ""
        if name in ("clv", "lifetimes") and ratio(results) is not None:
            vs = f"{ratio(results):.1f}× (CPU {ratio(results, 'cpu_seconds'):.1f}×)"
        if "error" in result:
            cells = ["—", "—", f"{result['peak_mb']:,.0f}", vs, f"failed: {result['error']}"]
        else:
            times = [f"{result['seconds']:.2f}", f"{result['cpu_seconds']:.2f}"]
            cells = [*times, f"{result['peak_mb']:,.0f}", vs, _note(name, result)]
        lines.append("| " + " | ".join([label, name, *cells]) + " |")
        label = ""
    return lines


def _target(rows: int, all_results: dict, check) -> tuple[str, str]:
    results = all_results.get(rows)
    if results is None or "seconds" not in results.get("pipeline", {}):
        return "not run", "—"
    return check(results["pipeline"])


def targets(all_results: dict) -> list[str]:
    """The issue's targets, measured."""

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = [
        (
            "1M rows, CSV → five KPIs ≤ 5 s",
            1_000_000,
            lambda r: (f"{r['seconds']:.2f} s", mark(r["seconds"] <= 5)),
        ),
        ("10M rows ≤ 60 s", 10_000_000, lambda r: (f"{r['seconds']:.2f} s", mark(r["seconds"] <= 60))),
        (
            "10M rows ≤ 6 GB peak",
            10_000_000,
            lambda r: (f"{r['peak_mb'] / 1024:.2f} GB", mark(r["peak_mb"] <= 6 * 1024)),
        ),
    ]
    lines = ["| target | measured | result |", "|---|---|---|"]
    for text, size, check in rows:
        measured, result = _target(size, all_results, check)
        lines.append(f"| {text} | {measured} | {result} |")
    ratios = {size_label(s): ratio(r) for s, r in all_results.items() if ratio(r) is not None}
    if ratios:
        shown = ", ".join(f"{k}: {v:.1f}×" for k, v in ratios.items())
        lines.append(
            f"| faster than lifetimes (model time ratio) | {shown} | {mark(min(ratios.values()) > 1)} |"
        )
    return lines


def machine() -> str:
    """One line about the machine and the stack."""
    import numpy as np
    import pandas as pd

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except OSError:
        memory = float("nan")
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM; Python {platform.python_version()}, "
        f"pandas {pd.__version__}, numpy {np.__version__}; OPENBLAS_NUM_THREADS=1"
    )


def report(all_results: dict, lifetimes_note: str, load: tuple[float, float]) -> str:
    """The markdown report: the table, the targets, the machine and how busy it was."""
    lines = [
        f"Run on {date.today().isoformat()}: {machine()}.",
        f"Load average (1 min) {load[0]:.1f} at the start and {load[1]:.1f} at the end: above 2, other",
        "processes shared the 2 cores and wall times are inflated (CPU times much less so).",
        "",
        "| rows | stage | wall (s) | CPU (s) | peak RSS (MB) | lifetimes ÷ ours | notes |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for rows, results in all_results.items():
        lines += table_rows(rows, results)
    lines += ["", *targets(all_results), "", lifetimes_note]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated row counts (100k,1M,10M)")
    parser.add_argument("--skip-lifetimes", action="store_true", help="do not run the lifetimes comparison")
    parser.add_argument("--out", type=Path, help="also write the markdown table to this file")
    parser.add_argument("--lifetimes-venv", type=Path, help="keep/reuse the lifetimes venv here")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per stage")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup_lifetimes(args, scratch: Path) -> tuple[Path | None, str]:
    """Install lifetimes unless skipped; return its python (or None) and a note for the report."""
    pins = " ".join(LIFETIMES_PINS)
    if args.skip_lifetimes:
        return None, "lifetimes: skipped (--skip-lifetimes)."
    venv = args.lifetimes_venv or scratch / "lifetimes-venv"
    progress(f"installing {pins} into {venv} ...")
    with (scratch / "lifetimes-install.log").open("wb") as log:
        try:
            python = lifetimes_python(venv, log)
        except (subprocess.CalledProcessError, OSError) as err:
            return None, f"lifetimes: could not be installed ({err}); see the install log."
    note = (
        f"lifetimes ran in a fresh venv with `{pins}`; its time excludes `read_csv` "
        "and the ratio compares it with our `clv` stage (summary + BG/NBD + Gamma-Gamma + CLV)."
    )
    return python, note


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage:
        print(json.dumps(run_stage(args.stage, args.folder)), flush=True)
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    scratch = Path(tempfile.mkdtemp(prefix="bench-kpis-"))
    load_start = os.getloadavg()[0]
    try:
        lt_python, lt_note = setup_lifetimes(args, scratch)
        all_results = {}
        for rows in sizes:
            folder = scratch / size_label(rows)
            all_results[rows] = bench_size(rows, args, folder, lt_python)
            shutil.rmtree(folder, ignore_errors=True)  # 10M rows take ~0.5 GB of disk
        text = report(all_results, lt_note, (load_start, os.getloadavg()[0]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
