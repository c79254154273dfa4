"""Docs are checked: every CLI command appears in docs/cli.md and the README's two commands work."""

from __future__ import annotations

from pathlib import Path

from bot.cli import main

REPO = Path(__file__).resolve().parent.parent


def all_commands() -> list[str]:
    names: list[str] = []
    for name, command in main.commands.items():
        sub = getattr(command, "commands", None)
        names += [f"foibot {name} {s}" for s in sub] if sub else [f"foibot {name}"]
    return names


def test_every_command_is_in_docs_cli() -> None:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for command in all_commands():
        parts = command.split()
        # "foibot quarantine list" may be written as "foibot quarantine list ... / show ID"
        assert f"`{' '.join(parts[:2])}" in text, f"{command} is not documented in docs/cli.md"
        if len(parts) == 3:
            assert parts[2] in text, f"{command} is not documented in docs/cli.md"


def test_readme_shows_the_two_commands_and_makefile_has_them() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    assert "\nrun:" in makefile and "\ntest:" in makefile
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci
