"""Exponential backoff with jitter, as plain values (no library needed).

for delay in Backoff().delays():   # 1, 2, 4, 8, 16 s, each jittered to 50-100 %
    ...
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """How often and how patiently to retry after a network error.

    ``attempts`` retries after the first failure, waiting ``initial`` s, doubling up
    to ``maximum`` s; each wait is jittered to 50-100 % so clients do not stampede.
    """

    attempts: int = 5
    initial: float = 1.0
    maximum: float = 30.0

    def delays(self) -> Iterator[float]:
        for attempt in range(self.attempts):
            ceiling = min(self.maximum, self.initial * 2**attempt)
            yield ceiling / 2 + random.uniform(0, ceiling / 2)
