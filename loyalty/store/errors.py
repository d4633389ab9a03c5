"""The error raised by the assessment store."""

from __future__ import annotations

from loyalty.errors import InputError


class StoreError(InputError):
    """The assessment database or an import file cannot be used as it is.

    Carries a catalog key (``store.error.*`` in ``loyalty/i18n/catalogs/store.json``)
    and its parameters, like every :class:`~loyalty.errors.InputError`.
    """
