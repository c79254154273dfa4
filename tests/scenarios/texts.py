"""Wording pools for the scenario generator: places, request topics, council replies.

Modelled on the real exchanges in ../shared/seeds/ (Wigan, Leicester, Nottinghamshire,
Trafford): numbered questions answered one by one, "You asked:" quoting the request,
automatic acknowledgements giving "reference number 10400", a final reply quoting
"FOI 10400", refusal notices, internal review paragraphs. Every place and person is
invented; addresses outside the ``.gov.uk``-shaped authority domains use ``.example``.
"""

from __future__ import annotations

from dataclasses import dataclass

# -------------------------------------------------------------------------- places

ENGLISH_PLACES = (
    "Ashbridge", "Kelmouth", "Thornwick", "Bramsford", "Hollinmoor", "Eastwold",
    "Marlcombe", "Sedgecliffe", "Wrexby", "Calderholme", "Fenwater", "Stanmere",
    "Oxcombe", "Harrowdene", "Lindenfield", "Brackmoor", "Copperhythe", "Dunsleigh",
    "Elmsworth", "Foxbury", "Greywell", "Hartcombe", "Ivybridge Vale", "Jessamy",
    "Kingsmere", "Larkhollow", "Millbeck", "Northwold", "Ottersby", "Pendlecombe",
    "Quarrington", "Redmarsh", "Saltmoor", "Tillingford", "Upperdale", "Verwood Chase",
    "Whitcombe", "Yarrowby", "Amberleigh", "Blackwater Heath", "Corringdon", "Dunhollow",
    "Emberton", "Fallowmere", "Gildersby", "Hazelmoor", "Inglecombe", "Kestrelford",
)  # fmt: skip
SCOTTISH_PLACES = (
    "Glenarden", "Strathkeld", "Inverlochan", "Balmurran", "Kilbrannan", "Dunmorrow",
    "Lochgarve", "Carnmore",
)  # fmt: skip
WELSH_PLACES = ("Aberdyfan", "Llanfenni", "Pontyglas", "Brynmawrth", "Trefaelog", "Caerwen")
NI_PLACES = ("Loughmore", "Drumcarrow", "Ballyfinan")

ENGLISH_COUNCIL_FORMS = (
    "{p} Borough Council",
    "{p} Metropolitan Borough Council",
    "{p} City Council",
    "{p} District Council",
    "London Borough of {p}",
    "{p} County Council",
    "{p} Council",
)

FIRST_NAMES = (
    "Tracy", "Priya", "Gareth", "Siobhan", "Mark", "Aisha", "Helen", "Dev", "Fiona",
    "Callum", "Rhian", "Joanne", "Tomasz", "Grace", "Imran", "Lucy", "Owen", "Nadia",
)  # fmt: skip
LAST_NAMES = (
    "Tarry", "Shah", "Morgan", "Byrne", "Hughes", "Begum", "Walsh", "Patel", "Campbell",
    "MacLeod", "Price", "Kowalski", "Osei", "Fletcher", "Hussain", "Doyle", "Evans", "Reilly",
)  # fmt: skip

# -------------------------------------------------------------------------- topics


@dataclass(frozen=True)
class Topic:
    key: str
    subject: str
    about: str  # "about ..." phrase councils use when they restate the request
    intro: str
    questions: tuple[str, ...]
    regime: str  # "foi" or "eir"
    answers: tuple[str, ...]  # one plausible answer per question


ANALYTICS = Topic(
    key="analytics",
    subject="Freedom of Information request - use of data analytics in children's services",
    about=(
        "the previous or current uses of data analytics, predictive analytics, or "
        "algorithmic automated systems in children's services"
    ),
    intro=(
        "We are submitting the following Freedom of Information Request for documents "
        "relating to previous or current uses of data analytics, predictive analytics, or "
        "algorithmic automated systems used for processing, risk assessment, scoring systems "
        "or automated decision making in relation to child and family services within the "
        "jurisdiction of your authority."
    ),
    questions=(
        "Has your organisation used any data analytics, predictive analytics and or "
        "artificial intelligence systems to support children's service provision? If so, which?",
        "Is your organisation using any data analytics, predictive analytics and or artificial "
        "intelligence systems to support children's service provision? If so, which?",
        "Is your organisation intending to use data analytics, predictive analytics and or "
        "artificial intelligence systems to support children's service provision?",
        "Details of any briefing notes, reports, or summaries relating to the use or potential "
        "use of data analytics, predictive analytics and or artificial intelligence systems to "
        "support children's service provision.",
        "Any meeting minutes, reports or presentation materials on the efficacy or impact of "
        "data analytics, predictive analytics and or artificial intelligence systems.",
        "Details of any third-party consultants or suppliers of data analytics, predictive "
        "analytics or artificial intelligence systems including any contracts, memoranda of "
        "understanding, or other agreements.",
    ),
    regime="foi",
    answers=(
        "We do currently use Power BI to create dashboards and present data.",
        "No",
        "There are no current plans for this.",
        "None in existence",
        "N/A",
        "Currently all in house.",
    ),
)
AGENCY = Topic(
    key="agency",
    subject="FOI request: agency social work staff spending 2022-2025",
    about="spending on agency social workers in children's and adults' services",
    intro=(
        "Under the Freedom of Information Act 2000 we would like to request information "
        "about the use of agency (locum) social work staff by your organisation in the "
        "financial years 2022/23, 2023/24 and 2024/25."
    ),
    questions=(
        "The total amount spent on agency social workers in each financial year.",
        "The number of agency social workers engaged on 31 March of each year.",
        "The highest hourly rate paid for an agency social worker in each year.",
        "The names of the agencies or managed service providers used.",
        "Any business case or report considering a reduction in agency staffing.",
    ),
    regime="foi",
    answers=(
        "2022/23: £4.1m; 2023/24: £4.6m; 2024/25: £3.9m.",
        "38, 41 and 33 respectively.",
        "£52.50 per hour.",
        "We use a managed service provider; the contract is published on our transparency pages.",
        "Information not held.",
    ),
)
TRANSPORT = Topic(
    key="transport",
    subject="Freedom of Information Request – home to school transport contracts",
    about="home to school transport contracts for pupils with special educational needs",
    intro=(
        "Please treat this email as a request under the Freedom of Information Act 2000 "
        "for information about home to school transport for children with special "
        "educational needs and disabilities (SEND)."
    ),
    questions=(
        "The number of pupils with an EHCP receiving home to school transport in 2024/25.",
        "The total cost of SEND home to school transport in 2022/23, 2023/24 and 2024/25.",
        "The number of taxi and minibus contracts in place on 1 September 2024.",
        "The five operators with the highest contract value and those values.",
        "Any review of SEND transport policy carried out since 2022.",
    ),
    regime="foi",
    answers=(
        "1,214 pupils.",
        "£9.8m, £11.2m and £12.9m respectively.",
        "412 contracts.",
        "This information is exempt under section 43(2) (commercial interests).",
        "A policy review was completed in 2023; it is published on our website.",
    ),
)
AI_ADULT = Topic(
    key="ai_adult",
    subject="FOI - artificial intelligence in adult social care assessments",
    about="the use of artificial intelligence tools in adult social care assessments",
    intro=(
        "We are writing under the Freedom of Information Act 2000 to ask about the use "
        "of artificial intelligence, including generative AI and automated transcription, "
        "in adult social care needs assessments carried out by your organisation."
    ),
    questions=(
        "Does your organisation use any AI tool to record, transcribe or summarise "
        "care assessments? If so, which product?",
        "When did use of each such tool begin, and how many staff use it?",
        "Any data protection impact assessment completed for each tool.",
        "Any evaluation of the accuracy of summaries produced by each tool.",
        "The annual cost of each tool.",
    ),
    regime="foi",
    answers=(
        "Yes. A pilot of an automated transcription product began in 2024.",
        "The pilot began in June 2024 with 25 practitioners.",
        "A DPIA was completed and is attached.",
        "An evaluation is under way; no report has been produced yet.",
        "£18,000 for the pilot year.",
    ),
)
AIR = Topic(
    key="air",
    subject="EIR request: air quality monitoring near primary schools",
    about="air quality monitoring near primary schools",
    intro=(
        "I am writing to request environmental information under the Environmental "
        "Information Regulations 2004 about air quality monitoring near primary schools "
        "in your area."
    ),
    questions=(
        "A list of nitrogen dioxide diffusion tube or continuous monitoring sites within "
        "200 metres of a primary school.",
        "The annual mean NO2 readings at each such site for 2022, 2023 and 2024.",
        "Any school streets or anti-idling schemes introduced since 2020.",
        "Any correspondence with schools about air quality since January 2024.",
    ),
    regime="eir",
    answers=(
        "There are 14 such sites; a list is attached.",
        "The readings are in our Annual Status Reports, published on our website.",
        "Six school streets have been introduced.",
        "This information is not held.",
    ),
)
GLYPHOSATE = Topic(
    key="glyphosate",
    subject="Environmental Information Request - use of glyphosate on council land",
    about="the use of glyphosate-based herbicides on land you manage",
    intro=(
        "This is a request for environmental information under the Environmental "
        "Information Regulations 2004 about the use of glyphosate-based herbicides on "
        "land managed by the council, including pavements, parks and housing estates."
    ),
    questions=(
        "The volume of glyphosate-based products used in each of 2022, 2023 and 2024.",
        "Whether any parks or playgrounds are managed without herbicides.",
        "Any trial of alternative weed control methods and its outcome.",
        "The contractor responsible for weed control and the contract end date.",
    ),
    regime="eir",
    answers=(
        "2,150, 1,980 and 1,640 litres respectively.",
        "Yes: nine parks and all playgrounds.",
        "A hot foam trial ran in 2023; the report is attached.",
        "Weed control is carried out in house.",
    ),
)
TREES = Topic(
    key="trees",
    subject="Request for environmental information: street tree felling 2023-2025",
    about="the felling and replacement of street trees",
    intro=(
        "Under the Environmental Information Regulations 2004, please provide the "
        "following information about street trees on the highway in your area."
    ),
    questions=(
        "The number of street trees felled in each year from 2023 to 2025 to date.",
        "The number of street trees planted in the same years.",
        "The main reasons recorded for felling (e.g. disease, subsidence claims).",
        "Your current tree strategy or policy document.",
    ),
    regime="eir",
    answers=(
        "312, 287 and 140 trees respectively.",
        "455, 510 and 96 trees respectively.",
        "Ash dieback accounts for most felling.",
        "Our Tree Strategy 2022-2032 is published on our website.",
    ),
)

TOPICS_A = (ANALYTICS, AGENCY, TRANSPORT, AI_ADULT)
TOPICS_B = (AIR, GLYPHOSATE, TREES)

SIGN_OFFS = (
    "Yours faithfully,\n\nResearch Team\nDepartment of Social Policy, Example University",
    "Yours faithfully\n\nResearch Team\nExample University",
    "Many thanks,\n\nResearch Team\nSchool of Social Sciences, Example University",
)
COST_PARAGRAPH = (
    "If it is not possible to provide the information requested due to the information "
    "exceeding the cost of compliance limits identified in s.12 FOIA, please provide advice "
    "and assistance as to how we can refine our request, as required under s.16 FOIA."
)
COST_PARAGRAPH_SCOTLAND = (
    "If it is not possible to provide the information requested because the cost of "
    "compliance would exceed the limit in section 12 FOISA, please provide advice and "
    "assistance as required under section 15 FOISA."
)

# -------------------------------------------------------------------------- replies

ACK_TEMPLATES = (
    # Trafford: an auto-acknowledgement that only says "reference number N".
    "Thank you for your email.\n\n"
    "Your enquiry has been given the {ack_phrase}. Please quote this in all future "
    "correspondence with regard to this enquiry.\n\n"
    "We aim to respond fully to all emails from the public as soon as possible, where they "
    "are seeking a response.\n\n"
    "If you are requesting information under the Freedom of Information Act or Environmental "
    "Information Regulations, there is a 20 working day statutory timescale within which to "
    "provide the information requested, subject to any exemptions which may apply. The 20 "
    "working day timescale will start on the first working day following receipt of your "
    "email.\n\nThank you\n{authority}",
    "Dear Sir/Madam\n\n{act} – Request for Information\nReference: {ref}\n\n"
    "Thank you for your request for information which we received on {received}. "
    "Your request is being dealt with under the terms of the {act} and will be answered "
    "within twenty working days. We will aim to respond by {due}.\n\n"
    "Please quote the reference number above in any future communications.\n\n"
    "Yours faithfully\n\n{team}\n{authority}",
    "Dear Requester,\n\nThank you for your request, which has been logged as {ref}. "
    "We will respond within 20 working days, by {due} at the latest.\n\n"
    "Kind regards\n{team}",
    "Good afternoon,\n\nWe acknowledge receipt of your request for information about "
    "{about}. It has been given the reference {ref} and passed to the relevant service.\n\n"
    "You should receive a response by {due}.\n\nRegards\n\n{team}\n{authority}",
)
ACK_TEMPLATE_CRM = (
    "This is an automatically generated email – please do not reply to it, as this "
    "mailbox is not monitored.\n\n"
    "Thank you for contacting {authority}. Your Freedom of Information request has been "
    "logged under case reference {ref}.\n\n"
    "Summary: {subject}\n\nWe will respond within 20 working days. Please quote the case "
    "reference in any correspondence.\n\n{authority}\nCustomer Services"
)
ACK_TEMPLATE_SCOTLAND = (
    "Dear Research Team\n\nThank you for your request for information, received on "
    "{received}, which we are dealing with under the Freedom of Information (Scotland) Act "
    "2002. Your reference is {ref}.\n\nWe are required to respond within 20 working days "
    "and will do so by {due}. If you are dissatisfied with the way we handle your request "
    "you may ask us to review our actions, and then apply to the Scottish Information "
    "Commissioner.\n\nYours sincerely\n\n{team}\n{authority}"
)
ACK_TEMPLATE_WALES = (
    "Annwyl Ymgeisydd / Dear Requester\n\n"
    "Diolch am eich cais am wybodaeth. Cyfeirnod: {ref}\n"
    "Thank you for your request for information. Reference: {ref}\n\n"
    "Byddwn yn ymateb o fewn 20 diwrnod gwaith. / We will respond within 20 working days.\n\n"
    "{team}\n{authority}"
)
OUT_OF_OFFICE = (
    "Thank you for your email.\n\n"
    "Please note that all Governance Services staff (including Legal Services and "
    "Information Governance) are currently working from home. Wherever possible, please "
    "avoid posting documents to us and use electronic communication instead.\n\n"
    "Our response times to correspondence may increase as we continue to support the most "
    "vulnerable in society and our frontline services.\n\nKind regards\n\n{team}",
    "I am out of the office until {back} with limited access to email. For Freedom of "
    "Information matters please contact {team_box}.\n\nThanks\n{officer}",
    "Thank you for your message. I am currently on annual leave, returning on {back}. "
    "Your email will not be forwarded.\n\n{officer}",
)
RESPONSE_OPENINGS = (
    "Dear Research Team,\n\nI am writing in response to your Freedom of Information Request "
    "({ref}) dated {sent_date}.\n\nPlease find the {org}'s response below;\n\n",
    "Dear Requester\n\nThank you for your request for information about {about}. You asked:"
    "\n\n{questions}\n\nWe are now able to provide the following information in response "
    "to your request\n\n",
    "Dear Sir/Madam\n\nRequest for information – reference {ref}\n\nYour request for "
    "information has now been considered and the {org}'s response to your questions is "
    "shown below.\n\n",
    "Good morning,\n\nFurther to your request (our ref: {ref}), I can now provide the "
    "following response.\n\n",
)
RESPONSE_CLOSINGS = (
    "I hope this is helpful however if you are dissatisfied with the handling of your "
    "request, you have the right to ask for an internal review. Internal review requests "
    "should be submitted within two months of the date of receipt of the response and "
    "should be addressed to the Information Governance Manager.\n\nPlease remember to quote "
    "the reference number above in any future communications.\n\nIf you are not content "
    "with the outcome of the internal review, you have the right to apply directly to the "
    "Information Commissioner for a decision.\n\nKind Regards\n\n{officer}\n{team}\n{org_name}",
    "You may re-use the information under an Open Government Licence.\n\nIf you are "
    "unhappy with the way in which your request has been handled, please email us at "
    "{team_box} quoting the reference {ref} and we will be happy to review your request."
    "\n\nWith kind regards\n\n{team}\n{org_name}",
    "If you have any queries about this response please contact us, quoting {ref}.\n\n"
    "Regards\n{officer}\n{team}",
)
ATTACHED_RESPONSE = (
    "Dear Research Team\n\nPlease find attached the response to your request for "
    "information, reference {ref}.\n\nKind regards\n\n{officer}\n{team}\n{org_name}",
    "Hello,\n\nPlease see the attached letter which provides our response to your recent "
    "request ({ref}).\n\nMany thanks\n{team}",
)
EXTENSION = (
    "Dear Research Team\n\nYour request for information – {ref}\n\nI am writing to let you "
    "know that we need more time to consider the public interest test in relation to "
    "your request. We now expect to respond by {extended}.\n\nApologies for the delay."
    "\n\n{team}",
    "Dear Requester,\n\nUnfortunately we will not be able to respond to request {ref} "
    "within 20 working days. We aim to provide a response by {extended}.\n\nRegards\n{team}",
)
CLARIFICATION_ASK = (
    "Dear Research Team\n\nThank you for your request ({ref}). Before we can proceed, could "
    "you please clarify what you mean by '{term}'? Does this include spreadsheets and "
    "reports produced by our own staff?\n\nThe 20 working days will start again when we "
    "receive your clarification.\n\nKind regards\n{officer}\n{team}",
    "Good afternoon,\n\nWith regard to your request {ref}, please can you confirm the time "
    "period you are interested in for question 4? Without a time limit we estimate that "
    "locating the information would exceed the appropriate limit.\n\n{officer}\n{team}",
)
CLARIFICATION_ANSWER = (
    "Thank you for getting in touch. By '{term}' we mean the processing of data by "
    "computer packages or dashboards to draw conclusions about people; it does not "
    "include routine performance spreadsheets. For question 4, the last 24 months is "
    "fine.\n\nBest wishes,\nResearch Team"
)
REFUSAL_S12 = (
    "Dear Research Team\n\nI am writing in response to your request for information, "
    "reference {ref}.\n\nWe estimate that the cost of complying with your request would "
    "exceed the appropriate limit of £450 (18 hours). Section 12 of the Freedom of "
    "Information Act 2000 therefore applies and this letter acts as a refusal notice.\n\n"
    "To help you refine your request, you may wish to limit questions 4 to 6 to the last "
    "12 months.\n\nIf you are dissatisfied you may request an internal review.\n\n{team}"
)
REVIEW_REQUEST = (
    "Dear {org_name},\n\nPlease pass this on to the person who conducts Freedom of "
    "Information reviews.\n\nI am writing to request an internal review of {org_name}'s "
    "handling of our FOI request '{subject}' (your reference {ref}). We do not accept "
    "that section 12 applies to questions 1 to 3, which could be answered on their own, "
    "and no advice under section 16 was given for them.\n\nYours faithfully,\n\nResearch Team"
)
REVIEW_ACK = (
    "Dear Research Team\n\nThank you for your request for an internal review of our "
    "response to {ref}. The review will be carried out by a senior officer who was not "
    "involved in the original decision, and we aim to respond within 20 working days."
    "\n\n{team}"
)
REVIEW_OUTCOME = (
    "Dear Research Team\n\nInternal review – {ref}\n\nI have now completed the internal "
    "review. I have concluded that questions 1 to 3 can be answered within the cost limit "
    "and the answers are set out below. The original decision is therefore partly upheld."
    "\n\n{answers}\n\n{officer}\nInformation Governance Manager"
)
CHASER = (
    "Dear {org_name},\n\nWe sent the request below on {sent_date} and have not yet received "
    "a response. The 20 working days allowed by section 10 of the Act have now passed. "
    "Please let us know when we can expect a reply.\n\nYours faithfully,\n\nResearch Team"
)
CHASER_REPLY = (
    "Dear Research Team\n\nApologies for the delay in responding to your request {ref}. "
    "It has been escalated to the service and we hope to respond within the next five "
    "working days.\n\n{team}"
)
DISCLAIMERS = (
    "This email may be subject to disclosure under the Freedom of Information Act 2000. "
    "It is intended only for the addressee. If you have received it in error please notify "
    "the sender and delete it.",
    "Any views expressed in this email are those of the individual sender. This email and "
    "any attachments may be subject to disclosure under the Freedom of Information Act "
    "2000 and the Data Protection Act 2018.",
    "The information in this email is confidential. Emails are monitored and may be recorded.",
)
