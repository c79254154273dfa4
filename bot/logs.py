"""One log line per event, as ``key=value`` fields, for journald and grep.

    log_event(log, "sync_done", fetched=3, new=2, folder="INBOX")
    # level=info event=sync_done fetched=3 new=2 folder=INBOX

``setup_logging`` (only ``foibot run`` calls it; other commands keep their own
output) sends every record to stdout through ``KeyValueFormatter``: records made by
``log_event`` carry their fields; the outbox's ``"outbox event=sent draft=3"`` lines
keep theirs; any other message becomes ``logger=... msg="..."``. A value is quoted
when it holds a space, a quote, ``=`` or nothing; newlines become ``\\n``, so a
traceback stays on its line. Timestamps are left to journald when stdout is the
journal ($JOURNAL_STREAM), added otherwise.

Never pass a secret or a message body: only ids, counts, names and error texts.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from collections.abc import Mapping
from typing import IO

FIELDS_ATTR = "kv_fields"  # where log_event keeps a record's fields
_EVENT_TEXT = re.compile(r"^(?:(?P<source>[a-z_]+) )?(?P<rest>event=\S+.*)$", re.DOTALL)
# Their INFO lines repeat our own events ("Running job ...", "Running upgrade ..."); the
# scheduler's warnings too (job_missed, job_skipped are logged by the daemon itself).
_QUIET = {"apscheduler": logging.ERROR, "alembic": logging.WARNING}


def quote(value: object) -> str:
    """``value`` as one token: bare when safe, else in double quotes with escapes."""
    text = value.isoformat() if isinstance(value, dt.datetime | dt.date) else str(value)
    if text and not any(c.isspace() or c in '"=\\' for c in text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " ")
    return f'"{escaped}"'


def kv(fields: Mapping[str, object]) -> str:
    """``key=value`` pairs in order; None values are left out."""
    return " ".join(f"{key}={quote(value)}" for key, value in fields.items() if value is not None)


def log_event(
    logger: logging.Logger,
    event: str,
    level: int = logging.INFO,
    *,
    exc_info: bool = False,
    **fields: object,
) -> None:
    """Log one event with its fields (see the module docstring); ``exc_info`` adds the
    exception being handled as ``error=`` and ``trace=`` (for bugs only)."""
    if logger.isEnabledFor(level):
        record_fields = {"event": event, **fields}
        extra = {FIELDS_ATTR: record_fields}
        logger.log(level, "%s", kv(record_fields), extra=extra, exc_info=exc_info)


class KeyValueFormatter(logging.Formatter):
    """Every record as one ``key=value`` line (see the module docstring)."""

    def __init__(self, timestamps: bool) -> None:
        super().__init__()
        self.timestamps = timestamps

    def format(self, record: logging.LogRecord) -> str:
        head: dict[str, object] = {}
        if self.timestamps:
            when = dt.datetime.fromtimestamp(record.created).astimezone()
            head["ts"] = when.isoformat(timespec="milliseconds")
        head["level"] = record.levelname.lower()
        fields = getattr(record, FIELDS_ATTR, None)
        if isinstance(fields, dict):
            body = kv(fields)
        else:
            message = record.getMessage()
            found = _EVENT_TEXT.match(message)
            if found and "\n" not in message:
                head["src"] = found["source"]
                body = found["rest"]
            else:
                body = kv({"logger": record.name, "msg": message})
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            trace = self.formatException(record.exc_info)
            body += " " + kv({"error": f"{type(error).__name__}: {error}", "trace": trace})
        return f"{kv(head)} {body}"


def setup_logging(
    stream: IO[str] | None = None, level: int = logging.INFO, timestamps: bool | None = None
) -> logging.Handler:
    """Send every log record to ``stream`` (stdout) as key=value lines; returns the handler."""
    if timestamps is None:
        timestamps = not os.environ.get("JOURNAL_STREAM")
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(KeyValueFormatter(timestamps))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h.formatter, KeyValueFormatter)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, quiet in _QUIET.items():
        logging.getLogger(name).setLevel(max(level, quiet))
    return handler
