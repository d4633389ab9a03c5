"""Errors that carry a translatable message for the user.

Library code raises :class:`InputError` for anything the user can fix (a bad
file, a wrong mapping). The app shows ``err.message(lang)``; the CLI prints
``err.message("en")`` on one line and exits with code 2.
"""

from __future__ import annotations

from typing import Any


class LoyaltyError(Exception):
    """Base error with a catalog key and the values for its placeholders.

    Parameters
    ----------
    key : str
        Catalog key of the message (see :mod:`loyalty.i18n`).
    **params
        Values for the message's placeholders, e.g. ``file``, ``row``, ``column``.
    """

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang``."""
        from loyalty.i18n import t  # local import: i18n must not depend on errors

        try:
            return t(self.key, lang, **self.params)
        except (KeyError, IndexError):
            # A bad key must still give a readable line, never a second traceback.
            return f"{self.key}: {self.params}"


class InputError(LoyaltyError):
    """The user's input (file, mapping, option) cannot be used as it is."""
