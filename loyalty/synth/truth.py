"""The known truth of a generated sample, as a JSON-serialisable dict."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from loyalty.schema import DRIVERS, RECOMMEND, TRUST
from loyalty.synth.comments import POLARITIES, THEMES, Comments
from loyalty.synth.latent import RATED_ITEMS, Latent, driver_betas, driver_covariance, trust_sd
from loyalty.synth.population import lmg_shares
from loyalty.synth.purchases import Purchases
from loyalty.synth.survey import SurveyDraw

ABOUT = (
    "Known truth of a synthetic sample. Causal chain: five correlated latent driver perceptions "
    "(standard normal, common correlation drivers.correlation) -> latent trust = intercept + sum(beta_k * "
    "driver_k) + noise -> recommendation (0-10) and repurchase intent; standardised trust raises the "
    "purchase rate and lowers the dropout probability of a BG/NBD-like buying process. "
    "trust.latent holds the generating coefficients on the latent, standardised driver scale. "
    "trust.observed holds what OLS of the observed trust item on the five observed driver items gives on a "
    "population of trust.observed.n_population draws of the same model and seed: compare a regression on "
    "survey.csv with trust.observed, not with trust.latent (rounding and clipping attenuate the slopes). "
    "'realised' describes the files as generated; 'per_customer' gives each customer's true parameters."
)


def _ranking(values: dict[str, float]) -> list[str]:
    return sorted(values, key=lambda k: -values[k])


def _by_driver(values: np.ndarray) -> dict[str, float]:
    return {d: float(v) for d, v in zip(DRIVERS, values, strict=True)}


def _latent_block(profile: dict[str, Any]) -> dict[str, Any]:
    beta, cov, sd = driver_betas(profile), driver_covariance(profile), trust_sd(profile)
    joint = np.zeros((len(DRIVERS) + 1, len(DRIVERS) + 1))
    joint[:-1, :-1] = cov
    joint[:-1, -1] = joint[-1, :-1] = cov @ beta
    joint[-1, -1] = sd**2
    coefs = _by_driver(beta)
    return {
        "intercept": 0.0,
        "coefficients": coefs,
        "ranking": _ranking(coefs),
        "noise_sd": profile["drivers"]["trust_noise_sd"],
        "sd": sd,
        "r2": float(beta @ cov @ beta) / sd**2,
        "lmg_shares": _by_driver(lmg_shares(joint)),
    }


def _observed_block(pop: dict[str, Any]) -> dict[str, Any]:
    fit = pop["fit"]
    coefs = _by_driver(fit["coefficients"])
    return {
        "method": "OLS with intercept of the trust item on the five driver items, complete answers",
        "n_population": pop["n"],
        "intercept": fit["intercept"],
        "coefficients": coefs,
        "std_errors_population": _by_driver(fit["std_errors"]),
        "ranking": _ranking(coefs),
        "r2": fit["r2"],
        "lmg_shares": _by_driver(pop["lmg"]),
    }


def _recommend_block(profile: dict[str, Any], pop: dict[str, Any]) -> dict[str, Any]:
    rec, corr = profile["recommend"], pop["corr_trust_recommend"]
    fit = pop["recommend_fit"]
    return {
        "latent": {
            "formula": "latent = trust * trust_z + sum(direct_k * driver_k) + noise_sd * e; "
            "recommend = clip(round(location + spread * latent), 0, 10)",
            **{k: rec[k] for k in ("trust", "direct", "noise_sd", "location", "spread")},
        },
        "observed": {
            "nps_population": pop["nps"],
            "corr_trust_recommend": corr,
            "corr_trust_recommend_range": [round(corr - 0.05, 3), round(corr + 0.05, 3)],
            "ols_on_trust_and_drivers": {
                "intercept": fit["intercept"],
                "coefficients": dict(zip((TRUST, *DRIVERS), map(float, fit["coefficients"]), strict=True)),
                "r2": fit["r2"],
            },
        },
    }


def _terciles(values: np.ndarray, target: np.ndarray) -> dict[str, float]:
    ranks = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    group = (3 * ranks) // max(len(values), 1)
    return {
        name: float(target[group == g].mean()) if (group == g).any() else 0.0
        for g, name in enumerate(("bottom", "middle", "top"))
    }


def _realised(latent: Latent, buys: Purchases, survey: SurveyDraw, comments: Comments) -> dict[str, Any]:
    sale = ~buys.refund
    n = len(buys.rate)
    # Distinct (customer, day) pairs: sort the combined key and count where it changes.
    key = np.sort(buys.owner[sale] * 100_000 + buys.seconds[sale] // 86_400)
    first = np.concatenate([[True], np.diff(key) != 0]) if len(key) else np.zeros(0, bool)
    purchase_days = np.bincount(key[first] // 100_000, minlength=n)
    rec = survey.answers[RECOMMEND]
    rec = rec[~np.isnan(rec)]
    return {
        "transactions": int(len(buys.owner)),
        "orders": int(sale.sum()),
        "refunds": int(buys.refund.sum()),
        "refund_share_of_orders": float(buys.refund.sum() / max(sale.sum(), 1)),
        "revenue_gross": round(float(buys.amount[sale].sum()), 2),
        "revenue_net": round(float(buys.amount.sum()), 2),
        "share_alive_at_end": float(buys.alive.mean()),
        "repeat_purchase_rate": float((purchase_days >= 2).mean()),
        "mean_purchase_days_by_latent_trust_tercile": _terciles(latent.trust, purchase_days.astype(float)),
        "survey_responses": int(len(survey.respondent)),
        "anonymous_responses": int(survey.anonymous.sum()),
        "missing_rates": {k: float(np.isnan(v).mean()) if len(v) else 0.0 for k, v in survey.answers.items()},
        "nps_respondents": float(100 * ((rec >= 9).mean() - (rec <= 6).mean())) if len(rec) else 0.0,
        "comments": sum(t is not None for t in comments.text),
    }


def _mention_counts(comments: Comments) -> dict[str, dict[str, int]]:
    counts = Counter((theme, pol) for _, theme, pol in comments.mentions)
    return {t: {p: counts[(t, p)] for p in POLARITIES} for t in THEMES}


def _per_customer(ids: list[str], latent: Latent, buys: Purchases) -> dict[str, list[Any]]:
    return {
        "customer_id": list(ids),
        "trust_z": np.round(latent.trust_z, 4).tolist(),
        "purchase_rate_per_year": np.round(buys.rate, 4).tolist(),
        "dropout_p": np.round(buys.dropout, 4).tolist(),
        "expected_order_value": np.round(buys.spend, 2).tolist(),
        "alive_at_end": buys.alive.astype(int).tolist(),
    }


def _clean(value: Any) -> Any:
    """Round floats to 6 decimals and turn numpy scalars into Python ones, recursively."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.integer | bool | np.bool_):
        return int(value) if not isinstance(value, bool | np.bool_) else bool(value)
    if isinstance(value, float | np.floating):
        return round(float(value), 6)
    return value


def build_truth(context: dict[str, Any]) -> dict[str, Any]:
    """Assemble truth.json.

    Parameters
    ----------
    context : dict
        ``name, profile, seed, lang, locale, pop, latent, buys, survey, comments, ids``
        as produced by :func:`loyalty.synth.generate.generate`.

    Returns
    -------
    dict
        JSON-serialisable truth (floats rounded to 6 decimals).
    """
    spec = context["profile"]
    truth = {
        "about": ABOUT,
        "profile": context["name"],
        "description": spec["description"],
        "seed": context["seed"],
        "customers": len(context["ids"]),
        "language": context["lang"],
        "faker_locale": context["locale"],
        "currency": spec["currency"],
        "business_type": spec["business_type"],
        "country_weights": spec["countries"],
        "period": spec["period"],
        "scales": {
            "rating": [spec["scale"]["min"], spec["scale"]["max"]],
            "rated_items": list(RATED_ITEMS),
            "recommend": [0, 10],
        },
        "drivers": {
            "correlation": spec["drivers"]["correlation"],
            "structure": "driver_k = sqrt(correlation) * F + sqrt(1 - correlation) * e_k, "
            "F and e_k iid N(0, 1)",
            "mean_correlation_observed_items": context["pop"]["driver_correlation_observed"],
        },
        "trust": {
            "latent": _latent_block(spec),
            "observed": _observed_block(context["pop"]),
            "discretisation": {
                "formula": "item = clip(round(location + spread * latent), min, max); "
                "trust uses latent trust",
                "location": spec["scale"]["location"],
                "spread": spec["scale"]["spread"],
            },
        },
        "recommend": _recommend_block(spec, context["pop"]),
        "repurchase_intent": {
            "formula": "latent = trust_loading * trust_z + sqrt(1 - trust_loading^2) * e",
            "trust_loading": spec["repurchase_intent"]["trust_loading"],
            "corr_trust_repurchase_observed": context["pop"]["corr_trust_repurchase"],
        },
        "item_means_population": context["pop"]["item_means"],
        "purchasing": {
            "process": "first order at sign-up + lag; repeats ~ Poisson(rate) in seasonal time while alive; "
            "after each order the customer drops out with probability dropout_p",
            "time_unit": "years (365.25 days) of seasonally weighted time",
            "rate": "rate_per_year * exp(trust_effect_rate * trust_z) * Gamma(rate_shape, 1/rate_shape)",
            "dropout": "expit(logit(dropout_p) - trust_effect_dropout * trust_z + dropout_logit_sd * e)",
            **spec["purchasing"],
            "acquisition": spec["acquisition"],
            "seasonality": spec["seasonality"],
        },
        "spend": {
            "model": "Gamma-Gamma: order value ~ Gamma(p, rate nu), nu ~ Gamma(q, rate gamma), "
            "times the segment spend multipliers; independent of trust and frequency",
            **spec["spend"],
            "mean_order_value_before_segments": spec["spend"]["p"]
            * spec["spend"]["gamma"]
            / (spec["spend"]["q"] - 1),
        },
        "refunds": spec["refunds"],
        "segments": spec["segments"],
        "survey": spec["survey"],
        "comments": {
            "themes": list(THEMES),
            **spec["comments"],
            "mentions": _mention_counts(context["comments"]),
        },
        "realised": _realised(context["latent"], context["buys"], context["survey"], context["comments"]),
    }
    # Per-customer lists are rounded already; cleaning them element by element would be slow.
    return {
        **_clean(truth),
        "per_customer": _per_customer(context["ids"], context["latent"], context["buys"]),
    }
