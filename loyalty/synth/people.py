"""Fake personal data (names, e-mails, company names) so privacy filters have work to do.

Faker is slow per call, so we draw small pools of first and last names once
(per gender, which keeps Polish surnames agreeing with the first name) and
combine them with vectorised indexing. E-mail addresses use the reserved
``example.*`` domains (RFC 2606) so no real mailbox is ever named.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from faker import Faker

POOL_SIZE = 300
_B2C_DOMAINS = np.array(["example.com", "example.net", "example.org"])
# Letters NFKD does not decompose into ASCII.
_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe"})


def ascii_slug(text: str, sep: str = "") -> str:
    """Return ``text`` lower-cased, without diacritics, with runs of other characters replaced by ``sep``."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", sep, plain.lower()).strip(sep)


def _name_pool(faker: Faker) -> tuple[list[str], list[str]]:
    """Draw matched (first, last) name pairs, half female and half male."""
    firsts, lasts = [], []
    for _ in range(POOL_SIZE // 2):
        firsts += [faker.first_name_female(), faker.first_name_male()]
        lasts += [faker.last_name_female(), faker.last_name_male()]
    return firsts, lasts


def _number_repeats(local: np.ndarray, domain: np.ndarray) -> np.ndarray:
    """Return e-mail addresses, numbering repeated ones (``jan.jansen2@...``) so each is unique."""
    address = np.char.add(np.char.add(local, "@"), domain)
    seen = pd.Series(address).groupby(address, sort=False).cumcount().to_numpy()
    # Pool names contain no digits, so a numbered address never collides with a plain one.
    suffix = np.where(seen > 0, (seen + 1).astype(str), "")
    return np.char.add(np.char.add(np.char.add(local, suffix), "@"), domain)


def fake_people(locale: str, n: int, b2b: bool, seed: int) -> dict[str, np.ndarray]:
    """Return fake contact data for ``n`` customers.

    Parameters
    ----------
    locale : str
        Faker locale, e.g. ``"nl_NL"``.
    n : int
        Number of customers.
    b2b : bool
        Whether customers are companies: adds a ``company`` column and uses a
        company e-mail domain.
    seed : int
        Faker and index seed.

    Returns
    -------
    dict of str to numpy.ndarray
        ``name`` and ``email`` (and ``company`` for B2B), each of length ``n``.
    """
    faker = Faker(locale)
    faker.seed_instance(seed)
    rng = np.random.default_rng(seed)
    firsts, lasts = _name_pool(faker)
    pick = rng.integers(0, len(firsts), n)
    first, last = np.array(firsts)[pick], np.array(lasts)[pick]
    name = np.char.add(np.char.add(first, " "), last)
    slug_first = np.array([ascii_slug(f) for f in firsts])[pick]
    slug_last = np.array([ascii_slug(s) for s in lasts])[pick]
    local = np.char.add(np.char.add(slug_first, "."), slug_last)
    out = {"name": name}
    if b2b:
        companies = list(dict.fromkeys(faker.company() for _ in range(min(n, 1000) + 20)))
        company = np.array(companies)[np.arange(n) % len(companies)]
        domain = np.array([ascii_slug(c, "-")[:24].strip("-") + ".example.com" for c in companies])
        domain = domain[np.arange(n) % len(companies)]
        out["company"] = company
    else:
        domain = _B2C_DOMAINS[rng.choice(len(_B2C_DOMAINS), n, p=[0.6, 0.25, 0.15])]
    out["email"] = _number_repeats(local, domain)
    return out
