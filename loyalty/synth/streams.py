"""Named, independent random streams.

Every part of the generator (latent scores, purchases, survey, comments, names)
draws from its own stream keyed on ``(seed, profile, part)``. Changing one part
(e.g. the comment language) therefore never shifts the numbers of another, and
the key uses CRC-32 rather than ``hash()``, which Python salts per process.
"""

from __future__ import annotations

import zlib

import numpy as np


def stream(seed: int, profile: str, part: str) -> np.random.Generator:
    """Return the random generator for one part of one profile.

    Parameters
    ----------
    seed : int
        User seed (non-negative).
    profile : str
        Profile name.
    part : str
        Name of the generator part, e.g. ``"latent"``.

    Returns
    -------
    numpy.random.Generator
        A PCG64 generator that depends only on the three arguments.
    """
    key = [int(seed), zlib.crc32(profile.encode()), zlib.crc32(part.encode())]
    return np.random.default_rng(np.random.SeedSequence(key))


def faker_seed(seed: int, profile: str) -> int:
    """Return an integer seed for Faker derived from ``seed`` and ``profile``."""
    return int(stream(seed, profile, "faker").integers(0, 2**31 - 1))
