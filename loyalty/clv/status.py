"""Model status codes of the CLV engine and what each means for the user.

Each code has a catalog message ``clv.status.<code>`` that says, in plain words,
what happened and what the user can still rely on (historical CLV always works).
"""

from __future__ import annotations

from enum import StrEnum


class ModelStatus(StrEnum):
    """Outcome of :func:`loyalty.clv.fit_clv`."""

    OK = "ok"
    #: No usable purchases (empty data, missing columns, nothing before the calibration end).
    NO_DATA = "no_data"
    TOO_FEW_CUSTOMERS = "too_few_customers"
    TOO_FEW_REPEATERS = "too_few_repeaters"
    #: The fit drives the drop-out probability to 0: the data show no sign of customers leaving.
    NO_DROPOUT_PATTERN = "no_dropout_pattern"
    NOT_CONVERGED = "not_converged"
    #: Purchase model fine, spend model not: P(alive) and purchases are available, CLV is not.
    GAMMA_GAMMA_FAILED = "gamma_gamma_failed"
    #: A warning: predictions are made, but spend and frequency are correlated.
    SPEND_FREQUENCY_CORRELATED = "spend_frequency_correlated"

    @property
    def message_key(self) -> str:
        """Catalog key of the status message."""
        return f"clv.status.{self.value}"

    @property
    def has_clv(self) -> bool:
        """True when per-customer CLV predictions are available."""
        return self in (ModelStatus.OK, ModelStatus.SPEND_FREQUENCY_CORRELATED)

    @property
    def has_purchase_model(self) -> bool:
        """True when P(alive) and expected purchases are available."""
        return self.has_clv or self is ModelStatus.GAMMA_GAMMA_FAILED

    @property
    def level(self) -> str:
        """``"success"``, ``"warning"`` or ``"error"``: how the app should show it."""
        if self is ModelStatus.OK:
            return "success"
        return "warning" if self.has_purchase_model else "error"
