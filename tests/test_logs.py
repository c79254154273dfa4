"""Log lines are one key=value line per event, quoted when needed, never multi-line."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest

from bot.logs import KeyValueFormatter, kv, log_event, quote, setup_logging


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, "3"),
        ("INBOX", "INBOX"),
        ("<abc@example.org>", "<abc@example.org>"),
        ("two words", '"two words"'),
        ("", '""'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a=b", '"a=b"'),
        ("line one\nline two", '"line one\\nline two"'),
        ("back\\slash", '"back\\\\slash"'),
        (dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), "2026-09-01T09:00:00+00:00"),
    ],
)
def test_a_value_is_quoted_only_when_it_holds_a_space_quote_equals_or_nothing(
    value: object, expected: str
) -> None:
    assert quote(value) == expected


def test_fields_keep_their_order_and_none_values_are_left_out() -> None:
    assert kv({"event": "sync_done", "fetched": 3, "error": None, "folder": "Sent Items"}) == (
        'event=sync_done fetched=3 folder="Sent Items"'
    )


def capture(level: int = logging.DEBUG) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(KeyValueFormatter(timestamps=False))
    logger = logging.getLogger(f"test.logs.{id(stream)}")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return logger, stream


def test_an_event_is_one_line_with_its_level_and_fields() -> None:
    logger, stream = capture()
    log_event(logger, "sync_done", fetched=3, new=2, folder="INBOX")
    assert stream.getvalue() == "level=info event=sync_done fetched=3 new=2 folder=INBOX\n"


def test_the_outbox_style_event_text_keeps_its_fields_and_names_its_source() -> None:
    logger, stream = capture()
    logger.warning("outbox event=%s %s", "retry", "draft=3 attempts=2")
    assert stream.getvalue() == "level=warning src=outbox event=retry draft=3 attempts=2\n"


def test_any_other_message_becomes_a_quoted_msg_field_with_its_logger() -> None:
    logger, stream = capture()
    logger.info("request %s: chaser not drafted: %s", 5, "already chased")
    line = stream.getvalue()
    assert line.startswith(f"level=info logger={logger.name} ")
    assert line.endswith('msg="request 5: chaser not drafted: already chased"\n')


def test_an_exception_stays_on_the_same_line_as_error_and_trace_fields() -> None:
    logger, stream = capture()
    try:
        raise ValueError("boom")
    except ValueError:
        log_event(logger, "job_crashed", logging.ERROR, exc_info=True, job="sync")
    text = stream.getvalue()
    assert text.count("\n") == 1
    assert 'event=job_crashed job=sync error="ValueError: boom" trace="Traceback' in text


def test_timestamps_are_left_to_journald_when_stdout_is_the_journal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    try:
        monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
        journal = io.StringIO()
        setup_logging(journal)
        log_event(logging.getLogger("test.logs.journal"), "ready", requests=2)
        monkeypatch.delenv("JOURNAL_STREAM")
        terminal = io.StringIO()
        setup_logging(terminal)
        log_event(logging.getLogger("test.logs.journal"), "ready", requests=2)
    finally:
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    assert journal.getvalue() == "level=info event=ready requests=2\n"
    assert terminal.getvalue().startswith("ts=")
    assert terminal.getvalue().endswith(" level=info event=ready requests=2\n")
    assert len(root.handlers) == len(before[0])


def test_setup_logging_quiets_the_schedulers_own_info_lines() -> None:
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    try:
        stream = io.StringIO()
        setup_logging(stream)
        logging.getLogger("apscheduler.executors.default").info("Running job x")
        logging.getLogger("apscheduler.scheduler").warning("skipped: maximum instances")
    finally:
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    assert stream.getvalue() == ""
