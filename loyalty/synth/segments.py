"""Segment labels per customer and per order, and their effect on spend.

A segment column is either *drawn* (``values`` with weights) or *derived* from
another column (``from`` + ``map``, e.g. a store's region). Each customer has a
home value; an order keeps it with probability ``stickiness`` and otherwise
takes a fresh draw (a webshop customer who sometimes orders in the app).

Values are handled as integer codes into each column's label list, which keeps
the per-order work vectorised; :func:`label_list` gives the strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Codes = dict[str, np.ndarray]


def _columns(profile: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return profile["segments"]["columns"]


def segment_columns(profile: dict[str, Any]) -> list[str]:
    """Return the profile's segment column names, primary first."""
    primary = profile["segments"]["primary"]
    return [primary, *(c for c in _columns(profile) if c != primary)]


def label_list(profile: dict[str, Any], column: str) -> list[str]:
    """Return the labels that the codes of ``column`` index into."""
    spec = _columns(profile)[column]
    if "from" in spec:
        return sorted(set(spec["map"].values()))
    return list(spec["values"])


def _draw(spec: dict[str, Any], size: int, rng: np.random.Generator) -> np.ndarray:
    weights = np.array(list(spec["values"].values()), dtype=float)
    return rng.choice(len(weights), size=size, p=weights / weights.sum())


def _derive(profile: dict[str, Any], codes: Codes) -> Codes:
    out = dict(codes)
    for name, spec in _columns(profile).items():
        if "from" in spec:
            targets = label_list(profile, name)
            lookup = np.array([targets.index(spec["map"][s]) for s in label_list(profile, spec["from"])])
            out[name] = lookup[codes[spec["from"]]]
    return out


def customer_segments(profile: dict[str, Any], n: int, rng: np.random.Generator) -> Codes:
    """Draw each customer's home segment codes.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    n : int
        Number of customers.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    dict of str to numpy.ndarray
        One code array of length ``n`` per segment column (derived ones included).
    """
    drawn = {name: _draw(spec, n, rng) for name, spec in _columns(profile).items() if "from" not in spec}
    return _derive(profile, drawn)


def order_segments(
    profile: dict[str, Any], home: Codes, owner: np.ndarray, rng: np.random.Generator
) -> Codes:
    """Return the segment codes of each order.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    home : dict of str to numpy.ndarray
        Customers' home codes (from :func:`customer_segments`).
    owner : numpy.ndarray
        Customer index of each order.
    rng : numpy.random.Generator
        Source of randomness.

    Returns
    -------
    dict of str to numpy.ndarray
        One code array per segment column, aligned with ``owner``.
    """
    drawn = {}
    for name, spec in _columns(profile).items():
        if "from" in spec:
            continue
        codes = home[name][owner].copy()
        switch = rng.random(len(owner)) >= spec.get("stickiness", 1.0)
        codes[switch] = _draw(spec, int(switch.sum()), rng)
        drawn[name] = codes
    return _derive(profile, drawn)


def spend_multiplier(profile: dict[str, Any], codes: Codes, size: int) -> np.ndarray:
    """Return the product of the segment spend multipliers of each row.

    Parameters
    ----------
    profile : dict
        Profile parameters.
    codes : dict of str to numpy.ndarray
        Segment codes per row.
    size : int
        Number of rows.

    Returns
    -------
    numpy.ndarray
        Multiplier per row (1 where a column has no ``spend`` block).
    """
    out = np.ones(size)
    for name, spec in _columns(profile).items():
        if "spend" in spec:
            factors = np.array([spec["spend"][label] for label in label_list(profile, name)])
            out *= factors[codes[name]]
    return out
