"""split_reply: the new text of a reply, apart from quoted history and signature."""

from __future__ import annotations

import pytest

from bot.quoting import QUOTE_RULES, SIGNATURE_RULES, split_reply

REQUEST = (
    "Dear Council,\n\nIf it is not possible due to the cost limit in s.12 FOIA, please "
    "provide advice and assistance under s.16 FOIA.\n\nYours faithfully,\nVal Gillies"
)
ANSWER = "Dear Ms Gillies,\n\nFOI 10400: the information is not held.\n\nKind Regards\nFOI Team"

STYLES = {
    "original_message": f"{ANSWER}\n\n-----Original Message-----\nFrom: Val Gillies\n"
    f"Sent: 16 March 2021 10:00\nTo: FOI\nSubject: FOI\n\n{REQUEST}",
    "outlook_underscores": f"{ANSWER}\n\n________________________________\n"
    f"From: Val Gillies <research@example.ac.uk>\nSent: 16 March 2021 10:00\nTo: FOI\n"
    f"Subject: FOI\n\n{REQUEST}",
    "header_block": f"{ANSWER}\n\nFrom: Val Gillies [mailto:research@example.ac.uk]\n"
    f"Sent: Tuesday, March 16, 2021 10:00 AM\nTo: FOI <foi@council.gov.uk>\n"
    f"Subject: FOI\n\n{REQUEST}",
    "header_block_bold": f"{ANSWER}\n\n*From:* Val Gillies\n*Sent:* 16 March 2021\n*To:* FOI\n"
    f"*Subject:* FOI\n\n{REQUEST}",
    "on_date_wrote": f"{ANSWER}\n\nOn Tue, 16 Mar 2021 at 10:00, Val Gillies "
    f"<research@example.ac.uk> wrote:\n" + "\n".join("> " + x for x in REQUEST.splitlines()),
    "on_date_wrote_wrapped": f"{ANSWER}\n\nOn Tue, 16 Mar 2021 at 10:00, Val Gillies <\n"
    f"research@example.ac.uk> wrote:\n" + "\n".join("> " + x for x in REQUEST.splitlines()),
    "show_quoted_sections": f"{ANSWER}\n\nshow quoted sections\n\n{REQUEST}",
    "angle_quotes": ANSWER + "\n\n" + "\n".join(">" + x for x in REQUEST.splitlines()),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_council_style_keeps_the_request_out_of_the_reply(style: str) -> None:
    """The answer (with its reference and sign-off) is the reply; s.12/s.16 are quoted."""
    split = split_reply(STYLES[style])
    assert split.reply == ANSWER
    assert "s.12" in split.quoted and "s.16" in split.quoted
    assert split.rule == style.removesuffix("_bold").removesuffix("_wrapped")


def test_no_quote_means_everything_is_reply() -> None:
    """Plain text with no quote marker is all reply, and rule is None."""
    split = split_reply(ANSWER)
    assert (split.reply, split.quoted, split.signature, split.rule) == (ANSWER, "", "", None)


def test_inline_angle_quotes_between_answers_are_moved_to_quoted() -> None:
    """Bottom-posted answers interleaved with '>' lines keep only the answers."""
    text = "> 1) Do you use AI?\nNo.\n> 2) Any contracts?\nNone held."
    split = split_reply(text)
    assert split.reply == "No.\nNone held."
    assert split.quoted == "> 1) Do you use AI?\n> 2) Any contracts?"


@pytest.mark.parametrize(
    ("tail", "rule"),
    [
        ("-- \nTracy Tarry\n0161 912 1941", "sig_dashes"),
        ("Sent from my iPhone", "sent_from_device"),
        ("This email and any files transmitted with it are confidential.", "disclaimer"),
    ],
)
def test_signatures_are_separated(tail: str, rule: str) -> None:
    """A '-- ' separator, a device footer or a disclaimer goes to the signature."""
    split = split_reply(f"{ANSWER}\n\n{tail}")
    assert split.reply == ANSWER
    assert split.signature == tail


def test_hyphen_lists_and_sign_off_are_not_taken_for_signatures() -> None:
    """'- 1) ...' answers and 'Kind regards ... reference' stay in the reply."""
    text = "Answers:\n- 1) No\n- 2) Power BI\n\nKind regards\nFOI Team, ref NCC-049446-20"
    assert split_reply(text).reply == text


def test_forwarded_message_at_the_top_keeps_its_own_text() -> None:
    """A body that starts with a header block is a forward: its text is the reply."""
    text = (
        "-----Original Message-----\nFrom: FOI <foi@nottscc.gov.uk>\nSent: 08 April 2021\n"
        "To:\nSubject: NCC-049446-20\n\nDear Requester\n\nNo systems procured.\n\n"
        f"From: Val Gillies\nSent: 01 April 2021\nTo: FOI\nSubject: FOI\n\n{REQUEST}"
    )
    split = split_reply(text)
    assert split.forwarded
    assert split.reply == "Dear Requester\n\nNo systems procured."
    assert "s.16" in split.quoted and "NCC-049446-20" in split.quoted


def test_from_line_alone_in_a_reply_is_not_a_quote() -> None:
    """A single 'From:' line (no Sent/Date/Subject block) does not cut the reply."""
    text = "From: 1 April the fee applies.\nTo: be confirmed."
    assert split_reply(text).reply == text


def test_crlf_line_endings() -> None:
    """CRLF input splits like LF input."""
    split = split_reply(STYLES["original_message"].replace("\n", "\r\n"))
    assert split.reply == ANSWER


def test_rules_are_named_and_described() -> None:
    """Every rule has a unique name and a description (shown by `explain`)."""
    names = [r.name for r in (*QUOTE_RULES, *SIGNATURE_RULES)]
    assert len(names) == len(set(names))
    assert all(r.description for r in (*QUOTE_RULES, *SIGNATURE_RULES))


def test_large_text_is_split_quickly() -> None:
    """A 2 MB body with no markers is split in well under a second."""
    import time

    text = ("Line of an answer with no quote marks at all, just words.\n" * 35_000)[:2_000_000]
    started = time.perf_counter()
    split_reply(text)
    assert time.perf_counter() - started < 1.0


def test_outlook_and_gmail_html_replies_split_after_conversion() -> None:
    """HTML replies converted to text split on the same rules as plain ones."""
    from bot.extract import html_to_text

    outlook = (
        "<p>Response attached, FOI 10400.</p><div style='border-top:solid 1pt'><p>"
        "<b>From:</b> Val Gillies<br><b>Sent:</b> 16 March 2021<br><b>To:</b> FOI<br>"
        "<b>Subject:</b> FOI</p></div><p>advice under s.16 if s.12 applies</p>"
    )
    gmail = (
        "<div>We will reply within 20 working days.</div><div class='gmail_quote'>"
        "<div class='gmail_attr'>On Tue, 16 Mar 2021 at 10:00, Val Gillies &lt;"
        "research@example.ac.uk&gt; wrote:<br></div><blockquote>s.12 and s.16</blockquote></div>"
    )
    for html, reply, rule in [
        (outlook, "Response attached, FOI 10400.", "header_block"),
        (gmail, "We will reply within 20 working days.", "on_date_wrote"),
    ]:
        split = split_reply(html_to_text(html))
        assert (split.reply, split.rule) == (reply, rule)
        assert "s.16" in split.quoted
