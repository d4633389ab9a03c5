"""The analysis frame: which variables and which respondents enter the driver models.

Variables are built from specs (single columns or multi-item composites), then
respondents missing any analysed variable are dropped (listwise deletion), so
every model and every bootstrap replicate uses the same people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from loyalty.drivers._util import label
from loyalty.drivers.specs import Spec, SpecLike, build_scales, normalize_spec, resolve_scales
from loyalty.errors import InputError
from loyalty.i18n import t
from loyalty.schema import DRIVERS, RECOMMEND, TRUST

#: A model with k drivers needs clearly more respondents than parameters.
MIN_ROWS_PER_MODEL = 10


class ConstantVariableError(InputError):
    """An analysed variable on which every respondent gave the same answer.

    The key says which role the variable plays (``drivers.error.constant`` for a
    driver, ``..._outcome`` / ``..._mediator``), because the advice differs: a
    flat driver can be left out, a flat outcome needs another outcome. ``column``
    holds the raw names (comma-separated); the message shows their field labels
    in the reader's language.
    """

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang`` with translated field labels."""
        names = str(self.params.get("column", "")).split(", ")
        shown = ", ".join(t("drivers.quoted", lang, name=label(name, lang)) for name in names)
        return t(self.key, lang, column=shown)


def _check_variation(complete: pd.DataFrame, drivers: list[str], mediator: list[str], outcome: str) -> None:
    """Raise for a variable without any variation; the outcome first, as nothing else matters then."""
    flat = {c for c in complete.columns if np.ptp(complete[c].to_numpy()) == 0}
    if outcome in flat:
        raise ConstantVariableError("drivers.error.constant_outcome", column=outcome)
    if flat & set(mediator):
        raise ConstantVariableError("drivers.error.constant_mediator", column=mediator[0])
    if flat:
        raise ConstantVariableError(
            "drivers.error.constant", column=", ".join(d for d in drivers if d in flat)
        )


@dataclass
class AnalysisData:
    """Complete-case data for the driver models.

    Parameters
    ----------
    frame : pandas.DataFrame
        Complete cases; columns are the drivers, then the mediator (if any), then
        the outcome. The index is the survey's.
    drivers : list of str
        Driver variable names.
    mediator : str or None
        Mediator (trust) name, None for an outcome-only analysis.
    outcome : str
        Outcome name.
    spec : dict
        Variable -> item columns, for every analysed variable.
    reliability : dict
        Variable -> ``{"items", "alpha"}`` (see :func:`loyalty.drivers.specs.build_scales`).
    scales : dict
        Variable -> answer scale ``(low, high)``.
    n_total : int
        Respondents in the survey.
    missing : dict
        Variable -> respondents without a value for it.
    """

    frame: pd.DataFrame
    drivers: list[str]
    mediator: str | None
    outcome: str
    spec: Spec
    reliability: dict[str, dict[str, Any]]
    scales: dict[str, tuple[float, float]]
    n_total: int
    missing: dict[str, int]

    @property
    def n_used(self) -> int:
        """Respondents with every analysed variable."""
        return len(self.frame)


def _driver_spec(survey: pd.DataFrame, drivers: SpecLike) -> Spec:
    """Parse the driver spec; the default five drivers are reduced to those the survey has."""
    if isinstance(drivers, (tuple, list)) and tuple(drivers) == DRIVERS:
        present = [d for d in DRIVERS if d in survey.columns and survey[d].notna().any()]
        if not present:
            raise InputError("drivers.error.no_drivers")
        return {d: [d] for d in present}
    return normalize_spec(drivers)


def _single_spec(spec: SpecLike) -> Spec:
    """Parse a mediator or outcome spec, which must define exactly one variable."""
    parsed = normalize_spec([spec] if isinstance(spec, str) and not any(c in spec for c in "=+,") else spec)
    if len(parsed) != 1:
        raise InputError("drivers.error.bad_spec", spec=str(spec))
    return parsed


def _mediator_spec(survey: pd.DataFrame, mediator: SpecLike | None) -> Spec:
    """Parse the mediator spec; the default trust column is optional."""
    if mediator is None:
        return {}
    if mediator == TRUST and (TRUST not in survey.columns or survey[TRUST].isna().all()):
        return {}
    return _single_spec(mediator)


def prepare_analysis(
    survey: pd.DataFrame,
    drivers: SpecLike = DRIVERS,
    mediator: SpecLike | None = TRUST,
    outcome: SpecLike = RECOMMEND,
    scales: Mapping[str, tuple[int, int]] | None = None,
) -> AnalysisData:
    """Build the analysed variables and drop respondents missing any of them.

    Parameters
    ----------
    survey : pandas.DataFrame
        Canonical survey responses; NaN is a missing answer.
    drivers : spec
        Driver variables (default: the five canonical drivers present in the survey).
    mediator : spec or None
        Mediator variable; the default ``trust`` is skipped when the survey has no trust answers.
    outcome : spec
        Outcome variable (default ``recommend``).
    scales : mapping or None
        Known answer scales per column or variable.

    Returns
    -------
    AnalysisData

    Raises
    ------
    InputError
        Unknown columns, a bad spec, too few complete respondents or a variable that does not vary.
    """
    driver_spec = _driver_spec(survey, drivers)
    mediator_spec = _mediator_spec(survey, mediator)
    outcome_spec = _single_spec(outcome)
    names = [*driver_spec, *mediator_spec, *outcome_spec]
    if len(set(names)) != len(names):
        raise InputError("drivers.error.bad_spec", spec=", ".join(names))
    spec = {**driver_spec, **mediator_spec, **outcome_spec}
    values, reliability = build_scales(survey, spec)
    values = values[names]
    complete = values.dropna()
    needed = max(MIN_ROWS_PER_MODEL, len(names) + 2)
    if len(complete) < needed:
        raise InputError("drivers.error.too_few_rows", n=len(complete), needed=needed)
    _check_variation(complete, list(driver_spec), list(mediator_spec), next(iter(outcome_spec)))
    return AnalysisData(
        frame=complete,
        drivers=list(driver_spec),
        mediator=next(iter(mediator_spec), None),
        outcome=next(iter(outcome_spec)),
        spec=spec,
        reliability=reliability,
        scales=resolve_scales(survey, spec, scales),
        n_total=len(survey),
        missing={c: int(values[c].isna().sum()) for c in names},
    )
