"""The context of a campaign's initial request, in two steps. Pure.

First the user's request template is rendered with ``template_context`` (who the
authority is, who asks, which law applies); then the shipped ``initial_request``
letter frames the result with ``letter_context``. See bot/store/campaigns.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.drafting.law import LAWS, asks_advice, mentions_law
from bot.drafting.values import Requester
from bot.vocabulary import Regime


def template_context(
    regime: Regime,
    campaign: str,
    authority: dict[str, str],
    requester: Requester,
    today: dt.date,
) -> dict[str, Any]:
    """What a user's request template may use: ``authority`` (name, email, nation, kind),
    ``requester``, ``regime``, ``law``, ``campaign`` (name), ``today``; ``subject`` is the
    default subject when the template has no "Subject:" line."""
    law = LAWS[regime]
    return {
        "today": today.isoformat(),
        "regime": regime.value,
        "law": law.as_json(),
        "campaign": {"name": campaign},
        "authority": dict(authority),
        "requester": {
            "name": requester.name,
            "email": requester.email,
            "postal_address": requester.postal_address,
        },
        "subject": f"{law.request_title} - {campaign}",
    }


def letter_context(base: dict[str, Any], title: str, text: str, token: str) -> dict[str, Any]:
    """The initial request letter's context: the rendered request (``title``, ``text``)
    and the tracking token its subject ends with."""
    text = text.strip()
    return {
        **base,
        "request": {
            "title": title,
            "text": text,
            "mentions_law": mentions_law(text),
            "asks_advice": asks_advice(text),
            "tracking_token": token,
        },
        "subject": f"{title} [{token}]",
        "tracking_token": token,
    }
