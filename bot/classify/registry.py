"""The ordered registry of classification rules, written as data.

Every rule runs on every message (they are cheap); the order is the order of the
evidence shown by `foibot explain`. ``decide`` weighs what fired.
"""

from __future__ import annotations

from bot.classify.rules import (
    acknowledgement,
    autoreply,
    bounce,
    clarification,
    extension,
    fees,
    refusal,
    response,
    review,
)
from bot.classify.values import Rule

R = Rule
# fmt: off
RULES: tuple[Rule, ...] = (
    # -- delivery reports --------------------------------------------------------------
    # RFC 3464 multipart/report with failed/delayed recipients: 5.x.x hard, 4.x.x soft
    R("dsn_report", "a delivery report with failed or delayed recipients", bounce.dsn_report),
    # Exim's X-Failed-Recipients header
    R("failed_recipients_header", "an X-Failed-Recipients header", bounce.failed_recipients_header),
    # MAILER-DAEMON, postmaster, "Mail Delivery System", Exchange's MicrosoftExchange329e... sender
    R("mailer_daemon_sender", "sent by a mail server, not a person", bounce.mailer_daemon_sender),
    # "Undeliverable:", "Delivery Status Notification (Failure)", "Mail delivery failed"
    R("ndr_subject", "a non-delivery report subject", bounce.ndr_subject),
    # "could not be delivered", "550 5.1.1 User unknown", "RESOLVER.ADR.RecipNotFound"
    R("ndr_body", "non-delivery wording in the body", bounce.ndr_body),
    # read receipts (MDN) and "delivered"/"relayed" reports are not correspondence
    R("receipt_report", "a read receipt or a successful-delivery report", bounce.receipt_report),
    # -- internal reviews --------------------------------------------------------------
    # "I have now completed the internal review", "the outcome of my review"
    R("review_decided", "the internal review has been decided", review.review_decided),
    # subject "Internal review outcome - FOI 123", "Review decision"
    R("review_outcome_subject", "the subject names a review outcome",
      review.review_outcome_subject),
    # "partly upheld", "some of the withheld information should now be released"
    R("review_partly_upheld", "the review changed part of the decision",
      review.review_partly_upheld),
    # "I have decided to overturn the original decision", "your complaint is upheld"
    R("review_overturned", "the review reversed the decision", review.review_overturned),
    # "I uphold the original decision", "s.43 was correctly applied"
    R("review_upheld", "the review kept the original decision", review.review_upheld),
    # "We have received your request for an internal review"
    R("review_acknowledged", "our review request was received", review.review_acknowledged),
    # -- extensions, fees, clarification -----------------------------------------------
    # s.10(3) or "public interest" with "further time", "not yet reached a decision"
    R("public_interest_extension", "more time for the public interest test",
      extension.public_interest_extension),
    # EIR/EISR reg 7: "complex and voluminous"
    R("complex_and_voluminous", "an EIR reg 7 extension", extension.complex_and_voluminous),
    # "we now aim to respond by 9 November 2026", "we need more time"
    R("new_response_date", "a later date for the response", extension.new_response_date),
    # subject "Public Interest Test extension", "Notice of extension" (not firm alone)
    R("extension_subject", "the subject names an extension", extension.extension_subject),
    # "may be exempt under section 43(2)", "considering whether sections 31 and 38 apply"
    R("exemptions_considered", "exemptions being considered (listed for an extension)",
      extension.exemptions_considered),
    # "fees notice", s.9, EIR reg 8
    R("fees_notice_named", "a fees notice under s.9 or EIR reg 8", fees.fees_notice_named),
    # "a fee of £32.50", "payment by cheque or BACS", "invoice"
    R("payment_requested", "payment asked for before the answer", fees.payment_requested),
    # "Could you please clarify which services you mean?"
    R("clarification_asked", "the authority asks us to clarify", clarification.clarification_asked),
    # s.1(3), "we will not be able to proceed until", "treated as withdrawn"
    R("clock_paused_for_clarification", "the clock stops until we clarify",
      clarification.clock_paused_for_clarification),
    # -- the answer: refused, not held, given ------------------------------------------
    # "the Council does not hold this information", s.1(1)(a), "Not held"
    R("not_held_statement", "the information is not held", refusal.not_held_statement),
    # "section 40(2)", "regulation 12(5)(e)" cited with refusal context
    R("exemptions_cited", "exemptions cited as applied", refusal.exemptions_cited),
    # "would exceed the appropriate limit of £450 ... 18 hours"
    R("cost_limit", "refused under the s.12 cost limit", refusal.cost_limit),
    # "vexatious", "repeated request", s.14(1)
    R("vexatious", "refused as vexatious or repeated (s.14)", refusal.vexatious),
    # "refusal notice", "is being withheld", "we are unable to provide"
    R("refusal_wording", "a refusal of all or part of the request", refusal.refusal_wording),
    # "names have been redacted"
    R("redaction", "information given with parts redacted", refusal.redaction),
    # "if you were to narrow your request to the last 12 months, we may be able to ..."
    R("s16_advice", "advice on what could be provided within the cost limit", refusal.s16_advice),
    # "In response to your request", "Please find our response below", "Answer:"
    R("response_delivered", "the reply delivers a response", response.response_delivered),
    # "Please find attached the information you requested"
    R("information_disclosed", "information given", response.information_disclosed),
    # "1. No", "3. None in existence", "N/A", "£12,400" answer lines
    R("answers_given", "per-question answers", response.answers_given),
    # "There were 42 referrals in 2023"
    R("figures_given", "figures given in the text", response.figures_given),
    # "Response not held.pdf", "FOI 1234 data.xlsx", "Refusal notice.pdf"
    R("attachment_names", "what the attachment names say", response.attachment_names),
    # -- acknowledgements --------------------------------------------------------------
    # "We have received your request", "your request has been logged"
    R("receipt_acknowledged", "receipt of the request confirmed",
      acknowledgement.receipt_acknowledged),
    # "has been given the reference number 10400", "please quote this reference"
    R("reference_assigned", "a reference number assigned", acknowledgement.reference_assigned),
    # "20 working days", "we will respond by 12 October 2026"
    R("statutory_clock", "the statutory time limit stated", acknowledgement.statutory_clock),
    # -- machine-sent mail -------------------------------------------------------------
    # Auto-Submitted: auto-replied / auto-generated (RFC 3834)
    R("auto_submitted_header", "an Auto-Submitted header", autoreply.auto_submitted_header),
    # X-Autoreply, X-Autorespond, X-POST-MessageClass "9; Autoresponder", Exchange rule headers
    R("autoreply_headers", "auto-responder headers", autoreply.autoreply_headers),
    # Precedence: auto_reply / bulk / junk
    R("precedence_header", "a Precedence header for automatic mail", autoreply.precedence_header),
    # List-Id, List-Unsubscribe: a newsletter or a list, not correspondence
    R("mailing_list_headers", "mailing-list headers", autoreply.mailing_list_headers),
    # "Automatic reply:", "Out of Office", "... is out of the office"
    R("oof_subject", "an automatic-reply or out-of-office subject", autoreply.oof_subject),
    # "I am currently on annual leave", "this mailbox is no longer monitored"
    R("absence_notice", "a person's absence notice", autoreply.absence_notice),
    # a short "Thank you for your email" and nothing else
    R("generic_thanks", "a short generic thank-you notice", autoreply.generic_thanks),
)
# fmt: on
