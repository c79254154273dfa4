"""Authority reference numbers (pure).

Only normalisation lives here for now; finding references in text arrives with
the threading stage.
"""

from __future__ import annotations

import re

_NOISE = re.compile(r"[^0-9A-Z]+")


def normalize_reference(reference: str) -> str:
    """Comparable form: upper case, letters and digits only ("foi/2021-0123" -> "FOI20210123")."""
    return _NOISE.sub("", reference.upper())
