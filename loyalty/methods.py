"""Teaching helpers for the Methods page and the notebook tour: did a method recover the truth?

The synthetic samples come from a generator with a known causal model
(:mod:`loyalty.synth`). :func:`truth_vs_estimates` puts the generator's true
values next to what :func:`loyalty.drivers.diagnose` estimates from a survey,
with the 95% interval and whether the truth lies inside it.
:func:`simulate_survey` draws a fresh survey from a profile whose true driver
effects a student may change, so the estimate can be watched following them.

The page's text lives in the ``methods.*`` catalog keys; :data:`SECTIONS` only
says which sections exist and which app page uses each method.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.drivers import diagnose
from loyalty.errors import InputError
from loyalty.i18n import has_key, t
from loyalty.schema import DRIVERS, RECOMMEND, REPURCHASE_INTENT, TRUST
from loyalty.synth.latent import draw_latent, driver_betas, driver_covariance, observed_items, trust_sd
from loyalty.synth.population import lmg_shares, population_truth
from loyalty.synth.profiles import get_profile
from loyalty.synth.streams import stream

#: Method sections of the page, in reading order: (section id, tab, page that uses the method).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("nps", "kpis", "measure"),
    ("retention", "kpis", "measure"),
    ("repeat", "kpis", "measure"),
    ("clv", "kpis", "measure"),
    ("feedback", "kpis", "measure"),
    ("ols", "diagnose", "diagnose"),
    ("mediation", "diagnose", "diagnose"),
    ("importance", "diagnose", "diagnose"),
    ("ipa", "diagnose", "diagnose"),
)

#: Comparison blocks of :func:`truth_vs_estimates`, in display order.
BLOCKS: tuple[str, ...] = ("trust_model", "outcome_model", "importance")

#: Bootstrap replicates behind the importance intervals (enough for stable 95% limits).
DEFAULT_BOOTSTRAP = 400

#: Columns of :func:`truth_vs_estimates`.
COLUMNS: tuple[str, ...] = ("block", "variable", "true", "latent", "estimate", "ci_low", "ci_high", "inside")


def section_parts(section: str) -> list[tuple[str, str]]:
    """Return the catalog keys of one section's body, in order.

    A section alternates explanation steps (``methods.<id>.step_<i>``, markdown)
    and formulas (``methods.<id>.formula_<i>``, LaTeX); either may be absent for
    a given ``i``. Numbering stops at the first ``i`` with neither.

    Parameters
    ----------
    section : str
        Section id from :data:`SECTIONS`.

    Returns
    -------
    list of tuple
        ``("step" | "formula", key)`` pairs.
    """
    parts: list[tuple[str, str]] = []
    i = 1
    while True:
        found = [(kind, f"methods.{section}.{kind}_{i}") for kind in ("step", "formula")]
        found = [(kind, key) for kind, key in found if has_key(key)]
        if not found:
            return parts
        parts += found
        i += 1


def formula(key: str, lang: str) -> str:
    """Return a formula from the catalog as LaTeX.

    Formulas are stored with doubled braces (``{{``), ``str.format``'s escape, so
    the catalog's placeholder checks see no fields; formatting restores LaTeX's braces.

    Parameters
    ----------
    key : str
        Catalog key of the formula.
    lang : str
        Language (words inside ``\\text{}`` are translated).

    Returns
    -------
    str
        LaTeX source for ``st.latex``.
    """
    return t(key, lang).format()


def true_values(truth: Mapping[str, Any]) -> dict[str, dict[str, dict[str, float]]]:
    """Extract the comparable true values from a generator truth (``truth.json``).

    Parameters
    ----------
    truth : mapping
        The generator's truth, as in ``sample_data/<name>/truth.json``.

    Returns
    -------
    dict
        Block -> variable -> ``{"true", "latent"}``. ``true`` is the observed-scale
        target (the same regression on a very large simulated population: rounding
        answers onto a rating scale attenuates slopes, so this is the fair target);
        ``latent`` is the generating coefficient where one exists (NaN otherwise).
        Importance shares are in percent.

    Raises
    ------
    InputError
        When the truth lacks the trust block (not a generator truth).
    """
    try:
        trust = truth["trust"]
        observed, latent = trust["observed"], trust.get("latent", {})
        coefs = observed["coefficients"]
    except (KeyError, TypeError):
        raise InputError("methods.error.no_truth") from None
    latent_coefs, latent_shares = latent.get("coefficients", {}), latent.get("lmg_shares", {})
    out: dict[str, dict[str, dict[str, float]]] = {
        "trust_model": {
            name: {"true": float(value), "latent": float(latent_coefs.get(name, math.nan))}
            for name, value in coefs.items()
        },
        "importance": {
            name: {"true": 100.0 * float(value), "latent": 100.0 * float(latent_shares.get(name, math.nan))}
            for name, value in observed.get("lmg_shares", {}).items()
        },
    }
    outcome = truth.get("recommend", {}).get("observed", {}).get("ols_on_trust_and_drivers", {})
    if outcome.get("coefficients"):
        coefs = outcome["coefficients"]
        out["outcome_model"] = {name: {"true": float(v), "latent": math.nan} for name, v in coefs.items()}
    return {block: out[block] for block in BLOCKS if out.get(block)}


def _rows(block: str, targets: dict[str, dict[str, float]], names, est, low, high) -> list[dict[str, Any]]:
    """Return one comparison row per variable the model estimated and the truth knows."""
    rows = []
    for name, estimate, lo, hi in zip(names, est, low, high, strict=True):
        if name not in targets:
            continue
        true = targets[name]["true"]
        rows.append(
            {
                "block": block,
                "variable": name,
                "true": true,
                "latent": targets[name]["latent"],
                "estimate": float(estimate),
                "ci_low": float(lo),
                "ci_high": float(hi),
                "inside": bool(lo <= true <= hi),
            }
        )
    return rows


def truth_vs_estimates(
    survey: pd.DataFrame,
    truth: Mapping[str, Any],
    *,
    scales: Mapping[str, tuple[int, int]] | None = None,
    bootstrap: int = DEFAULT_BOOTSTRAP,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare the generator's true values with the driver analysis of a survey.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey of a synthetic sample (``recommend``, ``trust`` and the five drivers).
    truth : mapping
        The generator's truth for that sample.
    scales : mapping, optional
        Answer scale per column (``LoadResult.scales``); inferred when absent.
    bootstrap : int
        Bootstrap replicates for the importance intervals (at least 1).
    seed : int
        Bootstrap seed.

    Returns
    -------
    pandas.DataFrame
        One row per block and variable with :data:`COLUMNS`: the block
        (``trust_model``, ``outcome_model``, ``importance``), the variable, the
        observed-scale truth, the latent generating value (NaN where none), the
        estimate with its 95% interval (HC3 for coefficients, percentile bootstrap
        for importance shares in percent) and whether the truth lies inside.

    Raises
    ------
    InputError
        When the truth is not a generator truth, or the survey cannot be analysed.
    """
    targets = true_values(truth)
    result = diagnose(survey, scales=scales, bootstrap=max(int(bootstrap), 1), seed=seed, robustness=False)
    rows = []
    if result.mediator_model is not None:  # without trust answers there is no trust model to check
        for block, model in (("trust_model", result.mediator_model), ("outcome_model", result.outcome_model)):
            if block in targets:
                rows += _rows(block, targets[block], model.names, model.coef, model.ci_low, model.ci_high)
    imp = result.importance
    if imp.target == TRUST and imp.ci_low is not None and "importance" in targets:
        rows += _rows("importance", targets["importance"], imp.drivers, imp.share, imp.ci_low, imp.ci_high)
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table.attrs["n"] = result.n_used
    return table


@dataclass
class SimulatedSurvey:
    """A survey drawn from a (possibly edited) generator profile, with its truth.

    Parameters
    ----------
    survey : pandas.DataFrame
        Complete answers: ``recommend`` (0-10), ``trust``, the five drivers and
        ``repurchase_intent`` on the profile's rating scale.
    truth : dict
        Same layout as the ``trust`` and ``recommend`` blocks of ``truth.json``,
        so :func:`truth_vs_estimates` accepts it.
    scales : dict
        Answer scale per column.
    """

    survey: pd.DataFrame
    truth: dict[str, Any]
    scales: dict[str, tuple[int, int]]


def _by_driver(values: np.ndarray) -> dict[str, float]:
    return {name: float(v) for name, v in zip(DRIVERS, values, strict=True)}


def _latent_shares(spec: dict[str, Any]) -> dict[str, float]:
    """Return the LMG shares of the latent model, from its exact joint covariance of drivers and trust."""
    beta, cov = driver_betas(spec), driver_covariance(spec)
    joint = np.zeros((len(DRIVERS) + 1, len(DRIVERS) + 1))
    joint[:-1, :-1] = cov
    joint[:-1, -1] = joint[-1, :-1] = cov @ beta
    joint[-1, -1] = trust_sd(spec) ** 2
    return _by_driver(lmg_shares(joint))


def simulate_survey(
    profile: str = "nl_webshop",
    respondents: int = 2000,
    *,
    seed: int = 0,
    coefficients: Mapping[str, float] | None = None,
    population: int = 200_000,
) -> SimulatedSurvey:
    """Draw survey answers from a generator profile, optionally with other true driver effects.

    Only the survey side of the generator runs (latent drivers -> trust ->
    recommend, then rounding onto the rating scale), so this is fast enough to
    repeat in a notebook loop.

    Parameters
    ----------
    profile : str
        A key of :data:`loyalty.synth.PROFILES`.
    respondents : int
        Number of survey answers to draw.
    seed : int
        Random seed; the same arguments give the same answers.
    coefficients : mapping, optional
        Driver -> new latent effect on trust (e.g. ``{"data_security": 0.4}``);
        the other drivers keep the profile's values.
    population : int
        Size of the simulated population that measures the observed-scale truth.

    Returns
    -------
    SimulatedSurvey

    Raises
    ------
    ValueError
        On an unknown profile or driver, or fewer than 10 respondents.
    """
    spec = get_profile(profile)  # a private copy: editing it leaves PROFILES alone
    unknown = sorted(set(coefficients or {}) - set(DRIVERS))
    if unknown:
        raise ValueError(f"unknown driver(s) {', '.join(unknown)}; choose from {', '.join(DRIVERS)}")
    if respondents < 10:
        raise ValueError(f"respondents must be at least 10, got {respondents}")
    spec["drivers"]["coefficients"].update({k: float(v) for k, v in (coefficients or {}).items()})
    spec["population_draws"] = int(population)
    items = observed_items(spec, draw_latent(spec, int(respondents), stream(seed, profile, "latent")))
    columns = (RECOMMEND, TRUST, *DRIVERS, REPURCHASE_INTENT)
    survey = pd.DataFrame({name: items[name].astype(float) for name in columns})
    pop = population_truth(spec, seed, profile)
    low, high = spec["scale"]["min"], spec["scale"]["max"]
    truth = {
        "profile": profile,
        "seed": seed,
        "trust": {
            "latent": {
                "coefficients": {d: float(spec["drivers"]["coefficients"][d]) for d in DRIVERS},
                "lmg_shares": _latent_shares(spec),
            },
            "observed": {
                "coefficients": _by_driver(pop["fit"]["coefficients"]),
                "lmg_shares": _by_driver(pop["lmg"]),
                "n_population": pop["n"],
            },
        },
        "recommend": {
            "observed": {
                "ols_on_trust_and_drivers": {
                    "coefficients": dict(
                        zip((TRUST, *DRIVERS), map(float, pop["recommend_fit"]["coefficients"]), strict=True)
                    )
                }
            }
        },
    }
    scales = {name: (low, high) for name in (TRUST, *DRIVERS, REPURCHASE_INTENT)} | {RECOMMEND: (0, 10)}
    return SimulatedSurvey(survey=survey, truth=truth, scales=scales)
