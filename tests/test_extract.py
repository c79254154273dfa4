"""Attachment text extraction and attachment values: bytes in, text or a note out."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.extract import EXTRACTORS, ParseLimits, extract_text, find_extractor, html_to_text
from bot.mailparts import (
    Attachment,
    build_attachments,
    find_uuencoded,
    sanitize_filename,
    unpack_tnef,
)

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
PDF = (FIXTURES / "sample.pdf").read_bytes()
DOCX = (FIXTURES / "sample.docx").read_bytes()
XLSX = (FIXTURES / "sample.xlsx").read_bytes()
TNEF = (FIXTURES / "winmail.dat").read_bytes()
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(
    ("data", "content_type", "filename", "expected"),
    [
        (PDF, "application/pdf", "r.pdf", "information not held"),
        (PDF, "application/octet-stream", "noext", "Trafford Council FOI 10400"),
        (DOCX, WORD, "r.docx", "We hold no contracts."),
        (DOCX, "application/octet-stream", "RESPONSE.DOCX", "Question\tAnswer"),
        (XLSX, "application/octet-stream", "spend.xlsx", "2020\t12500\tAcme Analytics"),
        ("Year,Spend (£)\n".encode("cp1252"), "text/csv", "s.csv", "Spend (£)"),
        (b"<p>Hello <b>there</b></p><script>x()</script>", "text/html", "a.html", "Hello there"),
        (b"Refusal under s.14", "text/plain", "a.txt", "Refusal under s.14"),
    ],
)
def test_extracts_text_by_type_signature_or_extension(
    data: bytes, content_type: str, filename: str, expected: str
) -> None:
    """PDF, DOCX, XLSX, CSV, HTML and text attachments give the text a reader would see."""
    found = extract_text(data, content_type, filename)
    assert found.note is None
    assert found.text is not None and expected in found.text


def test_unsupported_type_has_no_text_and_no_note() -> None:
    """An image is listed without text; that is not a failure."""
    assert extract_text(b"\x89PNG\r\n", "image/png", "logo.png").text is None


@pytest.mark.parametrize(
    ("data", "content_type", "filename", "fragment"),
    [
        (b"%PDF-1.4 this is not really a pdf", "application/pdf", "bad.pdf", "pdf extraction"),
        (b"PK\x03\x04broken zip", WORD, "bad.docx", "docx extraction failed"),
        (b"not a workbook", "application/octet-stream", "bad.xlsx", "xlsx extraction failed"),
    ],
)
def test_a_broken_attachment_becomes_a_note_not_an_exception(
    data: bytes, content_type: str, filename: str, fragment: str
) -> None:
    """Extraction failures are recorded as the attachment's note."""
    found = extract_text(data, content_type, filename)
    assert found.text is None and found.note is not None and fragment in found.note


def test_size_limit_skips_extraction_with_a_note() -> None:
    """Above max_extract_bytes the extractor is not run."""
    found = extract_text(PDF, "application/pdf", "r.pdf", limits=ParseLimits(max_extract_bytes=100))
    assert found.text is None and found.note and "limit" in found.note


def test_text_limit_truncates_with_a_note() -> None:
    """Text longer than max_text_chars is cut and the note says so."""
    found = extract_text(b"a" * 1000, "text/plain", limits=ParseLimits(max_text_chars=10))
    assert found.text == "a" * 10 and found.note and "truncated" in found.note


def test_zip_bomb_is_refused_before_inflating() -> None:
    """A DOCX whose members inflate past max_unzipped_bytes is not read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    limits = ParseLimits(max_unzipped_bytes=1_000_000)
    found = extract_text(buffer.getvalue(), WORD, "bomb.docx", limits=limits)
    assert found.text is None and found.note and "over the limit" in found.note


def test_spreadsheet_cell_limit() -> None:
    """Reading stops after max_sheet_cells cells."""
    found = extract_text(XLSX, "application/octet-stream", "s.xlsx",
                         limits=ParseLimits(max_sheet_cells=3))  # fmt: skip
    assert found.text and "stopped after 3 cells" in found.text and "Acme" not in found.text


def test_html_to_text_drops_script_and_style() -> None:
    """Script and style content never reaches the text; entities are decoded."""
    html = "<style>.a{}</style><script>evil()</script><p>Fee &pound;450</p>"
    assert html_to_text(html) == "Fee £450"


def test_extractor_names_are_unique() -> None:
    """Each extractor is a named entry, used in notes."""
    assert len({e.name for e in EXTRACTORS}) == len(EXTRACTORS)
    assert find_extractor(b"", "application/zip", "x.zip") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system.ini", "system.ini"),
        ("/abs/path/report.pdf", "report.pdf"),
        ("..", "attachment-1.pdf"),
        ("", "attachment-1.pdf"),
        (None, "attachment-1.pdf"),
        ("CON", "_CON"),
        ("lpt1.txt", "_lpt1.txt"),
        ("evil\x00name\r\n.pdf", "evilname.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ('a<b>c:"d"|e?f*.pdf', "a_b_c__d__e_f_.pdf"),
        ("  .hidden. ", "hidden"),
        ("=?utf-8?Q?R=C3=A9ponse.pdf?=", "Réponse.pdf"),
        ("x" * 300 + ".pdf", "x" * 146 + ".pdf"),
    ],
)
def test_sanitize_filename(raw: str | None, expected: str) -> None:
    """Names never carry directories, controls, bidi marks, reserved names or odd chars."""
    assert sanitize_filename(raw, "application/pdf") == expected


def test_uuencode_blocks_are_found_and_decoded() -> None:
    """An inline uuencoded file is decoded; a broken block is left in the text."""
    text = "Hi\nbegin 644 a.txt\n#86)C\n`\nend\nBye\nbegin 644 b.txt\n\xff\xff\nend\n"
    rest, files = find_uuencoded(text)
    assert files == [("a.txt", b"abc")]
    assert rest.startswith("Hi\n\nBye\nbegin 644 b.txt")


def test_tnef_unpacks_body_and_files() -> None:
    """winmail.dat gives its body text and its files' names and bytes."""
    body, files = unpack_tnef(TNEF)
    assert body == "Please see the attached response letter."
    assert files == [("response.txt", b"FOI 10400: No.")]


def test_broken_tnef_is_noted_not_raised() -> None:
    """A winmail.dat cut short is listed with its hash and a note."""

    def no_nesting(data: bytes, depth: int) -> tuple[str, list[Attachment]]:
        raise AssertionError("not a message")

    [att] = build_attachments(
        TNEF[:5], "application/ms-tnef", "winmail.dat", limits=ParseLimits(), nested=no_nesting
    )
    assert (att.filename, att.size, att.text) == ("winmail.dat", 5, None)
    assert att.note and "could not open container" in att.note
