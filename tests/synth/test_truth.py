"""The generated data carry the truth that truth.json states."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import norm

from loyalty.schema import AMOUNT, COMMENT, CUSTOMER_ID, DATE, DRIVERS, ORDER_ID, RECOMMEND, TRUST
from loyalty.synth import PROFILES, SampleData, generate
from loyalty.synth.comments import phrase_bank

LARGE = 20_000


@cache
def large(profile: str) -> SampleData:
    """A large sample per profile, generated once for the whole module."""
    return generate(profile, customers=LARGE, seed=7)


def _numeric_survey(s: SampleData) -> pd.DataFrame:
    return s.survey.astype({c: float for c in (RECOMMEND, TRUST, *DRIVERS)})


@pytest.mark.parametrize("profile", list(PROFILES))
def test_ols_on_the_items_recovers_the_observed_scale_coefficients(profile):
    s = large(profile)
    data = _numeric_survey(s).dropna(subset=[TRUST, *DRIVERS])
    fit = sm.OLS(data[TRUST], sm.add_constant(data[list(DRIVERS)])).fit(cov_type="HC3")
    truth = s.truth["trust"]["observed"]["coefficients"]
    # Simultaneous 95 % intervals for the five slopes (Bonferroni), so the
    # check holds for any seed with at least 95 % probability.
    z = norm.ppf(1 - 0.05 / (2 * len(DRIVERS)))
    low, high = fit.params - z * fit.bse, fit.params + z * fit.bse
    outside = {d: (round(fit.params[d], 3), truth[d]) for d in DRIVERS if not low[d] <= truth[d] <= high[d]}
    assert outside == {}
    assert len(data) > 4000
    # ... and the regression ranks the top driver as the truth does.
    assert fit.params[list(DRIVERS)].idxmax() == s.truth["trust"]["observed"]["ranking"][0]


def test_latent_and_observed_coefficients_agree_in_ranking_where_clear():
    truth = large("pl_retail").truth["trust"]
    assert truth["latent"]["ranking"][0] == truth["observed"]["ranking"][0] == "service"
    for d in DRIVERS:  # rounding attenuates but never flips a slope's sign
        assert truth["observed"]["coefficients"][d] > 0


@pytest.mark.parametrize("profile", list(PROFILES))
def test_trust_and_recommend_correlate_in_the_stated_range(profile):
    s = large(profile)
    data = _numeric_survey(s).dropna(subset=[TRUST, RECOMMEND])
    r = np.corrcoef(data[TRUST], data[RECOMMEND])[0, 1]
    low, high = s.truth["recommend"]["observed"]["corr_trust_recommend_range"]
    assert 0 < low <= r <= high


@pytest.mark.parametrize("profile", list(PROFILES))
def test_customers_with_higher_trust_buy_more_often(profile):
    s = large(profile)
    sales = s.transactions[s.transactions[AMOUNT] > 0]
    purchase_days = sales.assign(day=sales[DATE].dt.normalize()).groupby(CUSTOMER_ID)["day"].nunique()
    rated = _numeric_survey(s).dropna(subset=[CUSTOMER_ID, TRUST])
    days = rated[CUSTOMER_ID].map(purchase_days)
    tercile = pd.qcut(rated[TRUST].rank(method="first"), 3, labels=["bottom", "middle", "top"])
    means = days.groupby(tercile, observed=True).mean()
    assert means["top"] > means["middle"] > means["bottom"]
    assert means["top"] > 1.3 * means["bottom"]


@pytest.mark.parametrize("profile", list(PROFILES))
def test_refunds_are_negative_and_follow_an_existing_order_of_the_same_customer(profile):
    tx = large(profile).transactions
    refunds, orders = tx[tx[AMOUNT] < 0], tx[tx[AMOUNT] > 0]
    assert orders[ORDER_ID].is_unique
    original = orders.set_index(ORDER_ID).loc[refunds[ORDER_ID]]
    assert (refunds[DATE].to_numpy() > original[DATE].to_numpy()).all()
    assert (refunds[CUSTOMER_ID].to_numpy() == original[CUSTOMER_ID].to_numpy()).all()
    assert (-refunds[AMOUNT].to_numpy() <= original[AMOUNT].to_numpy()).all()
    assert 0.02 <= len(refunds) / len(orders) <= 0.04
    assert (tx[AMOUNT] != 0).all()


@pytest.mark.parametrize("profile", list(PROFILES))
def test_missing_answers_anonymity_and_comments_match_the_spec(profile):
    s = large(profile)
    spec = PROFILES[profile]["survey"]
    n = len(s.survey)
    assert abs(n / LARGE - spec["response_rate"]) < 0.02
    for item, rate in spec["missing"].items():
        assert abs(s.survey[item].isna().mean() - rate) < 0.015, item
    assert spec["missing"]["data_security"] == max(spec["missing"].values())
    assert abs(s.survey[CUSTOMER_ID].isna().mean() - spec["anonymous_share"]) < 0.015
    assert abs(s.survey[COMMENT].notna().mean() - spec["comment_rate"]) < 0.025


@pytest.mark.parametrize("profile", list(PROFILES))
def test_survey_dates_fall_in_the_respondents_active_period(profile):
    s = large(profile)
    days = s.transactions.groupby(CUSTOMER_ID)[DATE].agg(["min", "max"]).apply(lambda c: c.dt.normalize())
    known = s.survey.dropna(subset=[CUSTOMER_ID])
    first, last = known[CUSTOMER_ID].map(days["min"]), known[CUSTOMER_ID].map(days["max"])
    slack = pd.Timedelta(days=PROFILES[profile]["survey"]["days_after_last_purchase"])
    assert (known[DATE] >= first).all() and (known[DATE] <= last + slack).all()


def _mentions(s: SampleData, lang: str) -> pd.DataFrame:
    """Split every comment into bank phrases; fail on text that is not from the bank."""
    bank = phrase_bank()[lang]
    lookup = {
        ph: (theme, pol)
        for theme, by_pol in bank.items()
        for pol, phrases in by_pol.items()
        for ph in phrases
    }
    rows = []
    for idx, comment in s.survey[COMMENT].dropna().items():
        rest = comment
        for phrase, (theme, pol) in lookup.items():
            if phrase in rest:
                rows.append((idx, theme, pol))
                rest = rest.replace(phrase, "")
        assert rest.strip() == "", comment
    return pd.DataFrame(rows, columns=["row", "theme", "polarity"])


@pytest.mark.parametrize("profile", list(PROFILES))
def test_comments_are_in_the_profile_language_and_follow_the_scores(profile):
    s = large(profile)
    lang = PROFILES[profile]["language"]
    mentions = _mentions(s, lang)
    assert mentions["row"].nunique() == s.survey[COMMENT].notna().sum()  # every comment has a bank phrase
    others = {
        ph
        for other, themes in phrase_bank().items()
        if other != lang
        for t in themes.values()
        for ps in t.values()
        for ph in ps
    }
    assert not any(ph in c for c in s.survey[COMMENT].dropna() for ph in others)
    survey = _numeric_survey(s)
    drivers = mentions[mentions["theme"].isin(DRIVERS)]
    score = np.array([survey.at[r, t] for r, t in zip(drivers["row"], drivers["theme"], strict=True)])
    below = score < np.array([survey[t].mean() for t in drivers["theme"]])
    answered = ~np.isnan(score)
    negative = (drivers["polarity"] == "negative").to_numpy()
    assert below[answered & negative].mean() > 0.75  # complaints come mostly from low scores
    assert below[answered & ~negative].mean() < 0.25  # praise mostly from high ones
    assert 0.3 < negative.mean() < 0.7
