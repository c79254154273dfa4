"""Reading an operator's CSV file: header checked, rows with their line numbers (pure)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from bot.errors import InputError


def csv_rows(
    text: str, required: tuple[str, ...], source: str
) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(line number, row) for each row; column names lower-cased; a missing column is an error."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"{source}: the header must include {','.join(required)}; missing: {', '.join(missing)}"
        )
    reader.fieldnames = header
    for row in reader:
        yield reader.line_num, row
