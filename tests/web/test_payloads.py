"""Attachment bytes are found again in the raw message, wherever the parser found them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.parse import parse_email
from bot.web.payloads import attachment_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
WITH_ATTACHMENTS = [
    path for path in sorted(FIXTURES.rglob("*.eml")) if parse_email(path.read_bytes()).attachments
]


def test_the_fixture_corpus_has_containers_to_look_into() -> None:
    parents = {a.parent for p in WITH_ATTACHMENTS for a in parse_email(p.read_bytes()).attachments}
    assert len(WITH_ATTACHMENTS) >= 10 and parents - {None}, "no nested attachments to test"


@pytest.mark.parametrize("path", WITH_ATTACHMENTS, ids=lambda p: p.name)
def test_every_attachment_the_parser_reports_can_be_downloaded(path: Path) -> None:
    raw = path.read_bytes()
    for attachment in parse_email(raw).attachments:
        data = attachment_bytes(raw, attachment.sha256)
        assert data is not None, f"{attachment.filename} (in {attachment.parent}) not found"
        assert hashlib.sha256(data).hexdigest() == attachment.sha256
        assert len(data) == attachment.size


def test_an_unknown_hash_or_broken_mail_finds_nothing() -> None:
    assert attachment_bytes(b"not mail at all", "0" * 64) is None
    assert attachment_bytes(b"", "0" * 64) is None
