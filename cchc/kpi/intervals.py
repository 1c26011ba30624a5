"""Confidence intervals for rates measured on a sample (survey answers), domain-free and pure.

A rate counted over every dossier is a census and needs no interval; a satisfaction rate comes
from the people who chose to answer, so "95%" is shown with how far it could be off.
"""

from __future__ import annotations

import math

# Two-sided 95%: the 0.975 quantile of the standard normal distribution.
Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion, as fractions (0..1); None when n == 0.

    centre = (p + z²/2n) / (1 + z²/n);  half-width = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)

    Unlike the normal approximation it stays inside 0..1 and is sensible near 100%.
    """
    if n < 0 or successes < 0 or successes > n:
        raise ValueError("successes must be between 0 and n")
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
