"""Letters from Jinja2 templates: the user's template directory first, then the shipped ones.

Templates are plain text (``templates/letters/NAME.txt.j2`` at the top of the
repository). Autoescaping is off, because a letter is not HTML: every value is
inserted as the plain text it is, and nothing inserted is ever rendered again as a
template. Undefined variables are errors (StrictUndefined), so a typo in a user's
template fails loudly, naming the template, instead of sending "Dear ,".

A template may start with a ``Subject: ...`` line and a blank line; otherwise the
context's ``subject`` is the letter's subject. Whitespace is tidied after rendering:
trailing spaces dropped, runs of blank lines made one, one newline at the end.

>>> letter = render_text("Subject: Hello {{ name }}\\n\\nDear {{ name }},\\n", {"name": "Ann"})
>>> letter.subject, letter.body
('Hello Ann', 'Dear Ann,\\n')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2

from bot.deadlines import long_date
from bot.errors import LetterTemplateError

SUFFIX = ".txt.j2"
SHIPPED = Path(__file__).resolve().parent.parent / "templates" / "letters"
# The letters foibot renders, by template name (a user's directory may override each).
TEMPLATES = (
    "chaser",
    "internal_review",
    "refinement",
    "clarification_reply",
    "regulator_complaint",
    "initial_request",
)
_BLANK_RUNS = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def _long_date(value: str | dt.date | None) -> str:
    """ISO date (or date) -> "Monday 15 December 2025"."""
    if value is None or value == "":
        raise ValueError("long_date of a missing date")
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
    return long_date(day)


def join_and(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _join_and(items: Any) -> str:
    return join_and([str(item) for item in items])


def _quote(text: str) -> str:
    """Each line prefixed with "> ", as mail clients quote."""
    return "\n".join(f"> {line}".rstrip() for line in str(text).strip().splitlines())


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """Text someone typed as one sentence: a capital first, a full stop last."""
    text = " ".join(str(text).split())
    if text and text[-1] not in ".!?":
        text += "."
    return _capfirst(text)


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text letters: see the module docstring
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=_long_date, join_and=_join_and, quote=_quote, capfirst=_capfirst,
        sentence=_sentence,
    )  # fmt: skip
    return env


@lru_cache(maxsize=8)
def environment(template_dir: Path | None = None) -> jinja2.Environment:
    """The letter environment: ``template_dir`` (config ``[letters] template_dir``) first."""
    dirs = [str(template_dir)] if template_dir is not None else []
    return _environment(jinja2.FileSystemLoader([*dirs, str(SHIPPED)]))


def render_letter(
    kind: str, context: Mapping[str, Any], template_dir: Path | None = None
) -> Letter:
    """Render the letter template ``kind`` (a name in TEMPLATES) with ``context``."""
    name = kind + SUFFIX
    env = environment(template_dir)
    try:
        source = env.loader.get_source(env, name)[0] if env.loader else ""
    except jinja2.TemplateNotFound as err:
        raise LetterTemplateError(name, f"not found (looked for {err.name})") from err
    return _render(env, source, context, name)


def render_text(source: str, context: Mapping[str, Any], name: str = "request template") -> Letter:
    """Render a template given as text (a campaign's request template)."""
    return _render(environment(None), source, context, name)


# A line of the source that prints nothing: a Jinja statement or comment.
_QUIET = re.compile(r"^\s*(?:\{%.*%\}|\{#.*#\})\s*$")


def _parts(source: str) -> tuple[str | None, str]:
    """(subject source, body source): the "Subject:" line is rendered on its own, so a
    value with a line break in it cannot end the subject and spill into the body. Both
    keep the statements before it (imports) and the source's line numbers."""
    lines = source.split("\n")
    for index, line in enumerate(lines):
        if not line.strip() or _QUIET.match(line):
            continue
        if not line.lower().startswith("subject:"):
            break
        before = lines[:index]
        subject = "\n".join([*before, line[len("subject:") :]])
        return subject, "\n".join([*before, "", *lines[index + 1 :]])
    return None, source


def _render(env: jinja2.Environment, source: str, context: Mapping[str, Any], name: str) -> Letter:
    subject_source, body_source = _parts(source)
    try:
        body = env.from_string(body_source).render(context)
        if subject_source is not None:
            subject = env.from_string(subject_source).render(context)
        else:
            subject = str(context.get("subject") or "")
    except jinja2.TemplateSyntaxError as err:
        where = err.name if err.name and err.name != "<template>" else name
        raise LetterTemplateError(where, f"line {err.lineno}: {err.message}") from err
    except jinja2.TemplateNotFound as err:
        raise LetterTemplateError(name, f"includes {err.name}, which is not found") from err
    except (jinja2.TemplateError, ValueError, TypeError) as err:
        raise LetterTemplateError(_where(err.__traceback__, name), str(err)) from err
    return tidy(subject, body, name)


def tidy(subject: str, body: str, name: str) -> Letter:
    """One line of subject; a body without trailing spaces or runs of blank lines."""
    subject = " ".join(subject.split())
    if not subject:
        raise LetterTemplateError(name, 'no subject: start it with a "Subject: ..." line')
    body = "\n".join(line.rstrip() for line in body.replace("\r\n", "\n").split("\n"))
    body = _BLANK_RUNS.sub("\n\n", body).strip("\n") + "\n"
    return Letter(subject, body)


def _where(tb: TracebackType | None, name: str) -> str:
    """The template and line an error was raised at (Jinja2 rewrites tracebacks so a
    template's frames carry its file name and line)."""
    found = name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(SUFFIX) or filename == "<template>":
            shown = name if filename == "<template>" else Path(filename).name
            found = f"{shown} line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


def template_problems(template_dir: Path | None) -> list[str]:
    """What is wrong with a user's template directory, one line each (for config load).

    Every ``*.txt.j2`` in it must parse and be named after a letter in TEMPLATES, or
    start with "_" (a partial it includes).
    """
    if template_dir is None:
        return []
    if not template_dir.is_dir():
        return [f"letters.template_dir: {template_dir} is not a directory"]
    problems = []
    env = environment(template_dir)
    for path in sorted(template_dir.glob("*" + SUFFIX)):
        stem = path.name[: -len(SUFFIX)]
        if stem not in TEMPLATES and not stem.startswith("_"):
            known = ", ".join(t + SUFFIX for t in TEMPLATES)
            problems.append(
                f"letters.template_dir: {path.name} is not a letter foibot writes; one of: "
                f"{known} (or start a partial's name with _)"
            )
            continue
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except jinja2.TemplateSyntaxError as err:
            problems.append(f"letters.template_dir: {path.name} line {err.lineno}: {err.message}")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(f"letters.template_dir: {path.name}: cannot read it: {err}")
    return problems
