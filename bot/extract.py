"""Text of an attachment, by content type: bytes in, text (or a note) out.

Pure: no files, no network. Each extractor is a small named entry in EXTRACTORS,
chosen by content type, then by the bytes' signature, then by file extension (many
mailers label everything application/octet-stream). Limits keep one hostile or huge
attachment from exhausting memory or time: above them we skip and say why.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from typing import IO
from xml.etree import ElementTree

from inscriptis import get_text  # type: ignore[import-untyped,unused-ignore]

from bot.charsets import decode_bytes


@dataclass(frozen=True)
class ParseLimits:
    """Bounds on the work one message may cause. Above a bound: skip and note, never fail."""

    max_extract_bytes: int = 20_000_000  # larger attachments are hashed but not read
    max_text_chars: int = 2_000_000  # longer extracted or body text is truncated
    max_depth: int = 3  # nested message/rfc822 and TNEF levels that are opened
    max_attachments: int = 100  # further attachments are skipped with a note
    max_pdf_pages: int = 300  # pages read from one PDF
    max_unzipped_bytes: int = 100_000_000  # total inflated size of a DOCX/XLSX
    max_sheet_cells: int = 500_000  # cells read from one workbook


@dataclass(frozen=True)
class Extracted:
    """Text from one attachment (None when not extracted) and why not, or what was cut."""

    text: str | None
    note: str | None = None


Run = Callable[[bytes, "str | None", ParseLimits], str]


@dataclass(frozen=True)
class Extractor:
    """A named way to read text out of one kind of file."""

    name: str
    content_types: frozenset[str]
    extensions: frozenset[str]
    magic: bytes | None
    run: Run


_SCRIPT_STYLE = re.compile(r"(?is)<!--.*?(?:-->|$)|<(script|style)\b.*?(?:</\1\s*>|$)")
_TAG = re.compile(r"(?s)<[^>]*>")


def _strip_tags(html: str) -> str:
    text = _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", html))
    return re.sub(r"[ \t]+", " ", unescape(text)).strip()


def html_to_text(html: str) -> str:
    """Readable text of an HTML document. Scripts and styles are dropped; nothing is run.

    inscriptis (lxml) lays out the text; when lxml gives up (broken or very deeply nested
    markup loses content silently) a plain tag strip is used instead.
    """
    if not html.strip():
        return ""
    fallback = _strip_tags(html)
    try:
        text = str(get_text(html)).strip()
    except Exception:  # lxml rejects some broken documents
        return fallback
    return text if len(text.split()) * 2 >= len(fallback.split()) else fallback


def _text(data: bytes, charset: str | None, limits: ParseLimits) -> str:
    return decode_bytes(data, charset).text


def _html(data: bytes, charset: str | None, limits: ParseLimits) -> str:
    return html_to_text(decode_bytes(data, charset).text)


def _pdf(data: bytes, charset: str | None, limits: ParseLimits) -> str:
    from pypdf import PdfReader  # imported on first use: it slows every command's start

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("PDF is encrypted")
    pages: list[str] = []
    total = 0
    for number, page in enumerate(reader.pages):
        if number >= limits.max_pdf_pages or total > limits.max_text_chars:
            break
        text = page.extract_text() or ""
        pages.append(text)
        total += len(text)
    return "\n\n".join(pages).strip()


def _open_zip(data: bytes, limits: ParseLimits) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    inflated = sum(info.file_size for info in archive.infolist())
    if inflated > limits.max_unzipped_bytes:
        raise ValueError(f"archive inflates to {inflated} bytes, over the limit")
    return archive


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_lines(stream: IO[bytes]) -> Iterator[str]:
    """Paragraphs as lines; a table row as one line of tab-separated cells."""
    parts: list[str] = []
    in_cell = 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            in_cell += tag == f"{_W}tc"
            continue
        if tag == f"{_W}t" and element.text:
            parts.append(element.text)
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append(" " if in_cell else "\n")
        elif tag == f"{_W}p" and in_cell:
            parts.append(" ")
        elif tag == f"{_W}tc":
            in_cell -= 1
            parts.append("\t")
        elif tag in (f"{_W}p", f"{_W}tr"):
            if parts:
                yield "".join(parts).strip(" \t").replace(" \t", "\t")
                parts.clear()
            element.clear()
    if parts:
        yield "".join(parts)


def _docx(data: bytes, charset: str | None, limits: ParseLimits) -> str:
    with _open_zip(data, limits) as archive, archive.open("word/document.xml") as stream:
        return "\n".join(line for line in _docx_lines(stream)).strip()


def _xlsx(data: bytes, charset: str | None, limits: ParseLimits) -> str:
    from openpyxl import load_workbook  # imported on first use, as pypdf above

    _open_zip(data, limits).close()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    cells = 0
    try:
        for sheet in book.worksheets:
            lines.append(f"## {sheet.title}")
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > limits.max_sheet_cells:
                    lines.append(f"[stopped after {limits.max_sheet_cells} cells]")
                    return "\n".join(lines)
                values = ["" if v is None else str(v) for v in row]
                if any(values):
                    lines.append("\t".join(values).rstrip("\t"))
    finally:
        book.close()
    return "\n".join(lines).strip()


_WORD_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Order matters only for extension and signature fallbacks: first match wins.
EXTRACTORS: tuple[Extractor, ...] = (
    # PDF, the usual form of a formal response letter
    Extractor(
        "pdf",
        frozenset({"application/pdf", "application/x-pdf"}),
        frozenset({".pdf"}),
        b"%PDF-",
        _pdf,
    ),
    # Word documents (zip + XML read; .doc binaries are not supported)
    Extractor("docx", frozenset({_WORD_CT}), frozenset({".docx", ".docm"}), None, _docx),
    # Spreadsheets, often the disclosed data itself
    Extractor("xlsx", frozenset({_SHEET_CT}), frozenset({".xlsx", ".xlsm"}), None, _xlsx),
    # CSV is already text; only the charset needs care
    Extractor(
        "csv",
        frozenset({"text/csv", "application/csv", "text/comma-separated-values"}),
        frozenset({".csv"}),
        None,
        _text,
    ),
    # HTML attachments and HTML bodies: rendered to text, never executed
    Extractor(
        "html",
        frozenset({"text/html", "application/xhtml+xml"}),
        frozenset({".html", ".htm"}),
        None,
        _html,
    ),
    # Plain text
    Extractor(
        "text", frozenset({"text/plain"}), frozenset({".txt", ".text", ".log", ".md"}), None, _text
    ),
)


def find_extractor(data: bytes, content_type: str, filename: str) -> Extractor | None:
    """The extractor for this attachment: by content type, signature, then extension."""
    ctype = content_type.lower()
    for extractor in EXTRACTORS:
        if ctype in extractor.content_types:
            return extractor
    for extractor in EXTRACTORS:
        if extractor.magic is not None and data.startswith(extractor.magic):
            return extractor
    lower = filename.lower()
    for extractor in EXTRACTORS:
        if any(lower.endswith(ext) for ext in extractor.extensions):
            return extractor
    return None


def extract_text(
    data: bytes,
    content_type: str,
    filename: str = "",
    charset: str | None = None,
    limits: ParseLimits | None = None,
) -> Extracted:
    """Text of one attachment; never raises. Failures and limits become the note."""
    limits = limits or ParseLimits()
    extractor = find_extractor(data, content_type, filename)
    if extractor is None:
        return Extracted(None, None)
    if len(data) > limits.max_extract_bytes:
        return Extracted(
            None,
            f"not extracted: {len(data)} bytes is over the {limits.max_extract_bytes} "
            "byte extraction limit",
        )
    try:
        text = extractor.run(data, charset, limits)
    except Exception as exc:  # one bad attachment must not stop the message
        return Extracted(
            None, f"{extractor.name} extraction failed: {type(exc).__name__}: {str(exc)[:200]}"
        )
    if len(text) > limits.max_text_chars:
        return Extracted(
            text[: limits.max_text_chars], f"text truncated at {limits.max_text_chars} characters"
        )
    return Extracted(text)
