"""Bounces: delivery failure reports (RFC 3464), and the NDRs Exchange, Postfix and Exim send.

Each hit says ``bounce=hard`` (a permanent failure, 5.x.x) or ``bounce=soft``
(temporary, 4.x.x: the server will retry). Read receipts and "delivered" reports
are receipts, not bounces.
"""

from __future__ import annotations

import re

from bot.classify.text import View, find, in_subject
from bot.classify.values import Hit, Signal

_STATUS = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
_SMTP_CODE = re.compile(r"(?:smtp;|said:|error:?|code:?|^|\n)\s*([45])\d\d[ -]", re.I)
_SOFT_WORDS = re.compile(
    r"\b(?:delay(?:ed)?|will (?:continue to )?(?:retry|try again)|temporar(?:y|ily)"
    r"|has not yet been delivered|not been delivered yet|still trying)\b",
    re.I,
)
_DAEMON = re.compile(
    r"^(?:mailer-daemon|postmaster|mail-daemon|microsoftexchange[0-9a-f]{32})@", re.I
)
_DAEMON_NAME = re.compile(r"mail delivery (?:system|subsystem)|mailer.daemon|postmaster", re.I)
_NDR_SUBJECT = re.compile(
    r"^(?:undeliverable|undelivered mail|delivery status notification|mail delivery failed"
    r"|returned mail|delivery failure|failure notice|message not delivered|delivery has failed"
    r"|delivery delayed"
    r"|non[- ]?delivery|undelivered:|warning: message .* delayed|delayed mail|mail system error"
    r"|delivery (?:notification|report)[: ]+(?:failed|delayed|failure))",
    re.I,
)
_NDR_BODY = re.compile(
    r"could ?n[o']t be delivered|could not be delivered|delivery has failed to these recipients"
    r"|was undeliverable|permanent (?:fatal )?error|user unknown|mailbox (?:unavailable|not found"
    r"|is full|full)|address rejected|recipient (?:address )?(?:rejected|not found)"
    r"|no such (?:user|recipient|mailbox)|(?:address|user|mailbox|recipient|domain)"
    r" (?:does ?n[o']t|does not) exist"
    r"|message could not be delivered|delivery to the following recipients? (?:failed"
    r"|has been delayed)"
    r"|RESOLVER\.ADR\.\w+|unable to deliver (?:the|your) message|returned to sender"
    r"|could not deliver|undeliverable",
    re.I,
)


def _severity(*texts: str) -> str:
    """hard (5.x.x), soft (4.x.x or delay wording); hard when nothing says otherwise."""
    joined = " ".join(texts)
    classes = {m.group(1) for m in _STATUS.finditer(joined)}
    classes |= {m.group(1) for m in _SMTP_CODE.finditer(joined)}
    if "5" in classes:
        return "hard"
    if "4" in classes or _SOFT_WORDS.search(joined):
        return "soft"
    return "hard"


def dsn_report(view: View) -> Hit | None:
    email = view.email
    status = email.delivery_status
    if status is None or not status.recipients:
        return None
    failing = [r for r in status.recipients if r.action.lower() in ("failed", "delayed")
               or r.status[:1] in ("4", "5")]  # fmt: skip
    if not failing:
        return None
    codes = [r.status for r in failing if r.status]
    delayed = failing[0].action.lower() == "delayed"
    severity = _severity(*codes) if codes else ("soft" if delayed else "hard")
    who = ", ".join(r.final_recipient for r in failing if r.final_recipient) or "?"
    reason = f"{email.report_type or 'delivery'} report: {', '.join(codes) or failing[0].action}"
    return Hit(Signal.BOUNCE, f"{reason} for {who}", 0.97, flags=(("bounce", severity),))


def failed_recipients_header(view: View) -> Hit | None:
    value = view.headers.get("x-failed-recipients")
    if not value:
        return None
    severity = _severity(view.body)
    return Hit(Signal.BOUNCE, f"X-Failed-Recipients: {value}", 0.9, flags=(("bounce", severity),))


def mailer_daemon_sender(view: View) -> Hit | None:
    email = view.email
    if not (_DAEMON.match(email.from_addr) or _DAEMON_NAME.search(email.from_name)):
        return None
    null = view.headers.get("return-path", "").strip() in ("<>", "")
    reason = f"sender {email.from_name} <{email.from_addr}>"
    reason += ", empty Return-Path" if null and "return-path" in view.headers else ""
    return Hit(Signal.BOUNCE, reason, 0.85, flags=(("bounce", _severity(view.subject, view.body)),))


def ndr_subject(view: View) -> Hit | None:
    found = in_subject(view, _NDR_SUBJECT)
    if found is None:
        return None
    severity = _severity(view.subject, view.body)
    return Hit(Signal.BOUNCE, found.quote, 0.8, flags=(("bounce", severity),))


def ndr_body(view: View) -> Hit | None:
    found = find(view, _NDR_BODY, hedge=False, past=False)
    if found is None:
        return None
    severity = _severity(view.subject, view.body)
    return Hit(Signal.BOUNCE, found.quote, 0.55, flags=(("bounce", severity),))


def receipt_report(view: View) -> Hit | None:
    """A read receipt (MDN) or a report that the message was delivered: not a bounce."""
    email = view.email
    if email.report_type == "disposition-notification":
        return Hit(Signal.RECEIPT, "multipart/report; report-type=disposition-notification", 0.95)
    status = email.delivery_status
    if (
        status
        and status.recipients
        and all(
            r.action.lower() in ("delivered", "relayed", "expanded") or r.status.startswith("2.")
            for r in status.recipients
        )
    ):
        actions = ", ".join(f"{r.action} {r.status}".strip() for r in status.recipients)
        return Hit(Signal.RECEIPT, f"delivery report, nothing failed: {actions}", 0.95)
    return None
