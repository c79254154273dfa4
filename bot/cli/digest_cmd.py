"""`foibot digest`: placeholder module, filled in by its stage."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
