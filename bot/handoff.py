"""The one place that decides when to offer a human counsellor, whether the case is urgent, and where
to send the user (topic x Bundesland x EU/non-EU, abroad).

Single messages (`make triage`, every typed answer) and the guided flows' results (`FlowFacts`) both end
here, so the rules are the same everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.signals import detect_signals

# Intents where the user reports their own situation (as opposed to asking in general).
REPORT_INTENTS = frozenset({"report_dismissal", "report_unpaid_wages"})
URGENT_SIGNALS = frozenset({"livelihood_at_risk", "exploitation", "residence_at_risk"})
FALLBACKS_BEFORE_OFFER = 2          # NLU fallbacks in a row, or unreadable answers inside a flow
DEADLINE_URGENT_DAYS = 7            # a claim deadline this close (or passed) is urgent
UNPAID_MONTHS_BEFORE_OFFER = 1.0    # wages missing this long: offer a counsellor
# Residence titles that are fragile or provisional: always worth a counsellor.
FRAGILE_RESIDENCE = frozenset({"duldung", "beschaeftigungsduldung", "ausbildungsduldung", "aufenthaltsgestattung",
                               "fiktionsbescheinigung"})
# Titles usually tied to a job: losing the job can put the residence at risk.
JOB_BOUND_RESIDENCE = frozenset({"aufenthaltserlaubnis", "blue_card", "recognition_16d", "visa",
                                 "beschaeftigungsduldung", "ausbildungsduldung", "chancenkarte"})


@dataclass(frozen=True)
class FlowFacts:
    """What a guided flow found out, as far as the handoff decision needs it."""
    flow: str
    deadline_days_left: int | None = None     # dismissal: days until the claim deadline (negative: passed)
    written_form_missing: bool = False         # dismissal not on signed paper
    below_minimum_wage: bool = False
    wage_unclear: bool = False                 # netto below the (brutto) minimum: needs a payslip check
    above_minijob_limit: bool = False          # a "Minijob" that is not one
    unpaid_months: float | None = None
    livelihood_at_risk: bool = False           # said so in the flow (rent/food)
    residence_title: str | None = None
    residence_question: str | None = None      # work | change_employer | job_loss | where_to_ask
    regulated_profession: bool | None = None
    unknown_profession: bool = False


@dataclass(frozen=True)
class HandoffDecision:
    offer: bool
    urgent: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _flow_reasons(facts: FlowFacts) -> tuple[list[str], bool]:
    reasons: list[str] = []
    urgent = False
    if facts.deadline_days_left is not None:
        if facts.deadline_days_left < 0:
            reasons.append("deadline_passed")
            urgent = True
        elif facts.deadline_days_left <= DEADLINE_URGENT_DAYS:
            reasons.append("deadline_running")
            urgent = True
        else:
            reasons.append("deadline_running_not_close")
    if facts.written_form_missing:
        reasons.append("dismissal_form_invalid")
    if facts.below_minimum_wage:
        reasons.append("below_minimum_wage")
    if facts.wage_unclear:
        reasons.append("wage_unclear")
    if facts.above_minijob_limit:
        reasons.append("minijob_above_limit")
    if facts.unpaid_months is not None and facts.unpaid_months >= UNPAID_MONTHS_BEFORE_OFFER:
        reasons.append("wages_unpaid")
        if facts.livelihood_at_risk:
            urgent = True
    if facts.livelihood_at_risk:
        reasons.append("livelihood_at_risk")
        urgent = True
    if facts.residence_title in FRAGILE_RESIDENCE:
        reasons.append("complex_case")
    if facts.residence_question == "job_loss" and facts.residence_title in JOB_BOUND_RESIDENCE | FRAGILE_RESIDENCE:
        reasons.append("residence_at_risk")
    if facts.flow == "recognition" and (facts.regulated_profession or facts.unknown_profession):
        reasons.append("recognition_counselling")
    return reasons, urgent


def decide(*, intent: str | None, text: str, fallback_count: int = 0, unanswered: bool = False,
           facts: FlowFacts | None = None, seen_signals: frozenset[str] = frozenset()) -> HandoffDecision:
    """Offer a person? Urgent? `seen_signals` are signals from earlier messages of the conversation."""
    reasons: list[str] = []
    signals = detect_signals(text) | set(seen_signals)
    reasons += sorted(signals)
    if intent == "request_human":
        reasons.append("asked_for_human")
    if intent in REPORT_INTENTS and facts is None:
        # A dismissal starts the 3-week claim period; missing wages may hit contractual cut-off periods.
        reasons.append("deadline_running" if intent == "report_dismissal" else "wages_unpaid")
    if fallback_count >= FALLBACKS_BEFORE_OFFER:
        reasons.append("repeated_fallback")
    if unanswered:
        reasons.append("not_in_knowledge_base")
    # Urgent: a running deadline (a reported dismissal) or a livelihood/residence at risk.
    urgent = bool(signals & URGENT_SIGNALS) or (intent == "report_dismissal" and facts is None)
    if facts is not None:
        flow_reasons, flow_urgent = _flow_reasons(facts)
        reasons += flow_reasons
        urgent = urgent or flow_urgent
    return HandoffDecision(offer=bool(reasons), urgent=urgent, reasons=tuple(dict.fromkeys(reasons)))


def route(topic: str | None, bundesland: str | None = None, eu_citizen: bool | None = None, abroad: bool = False):
    """Counselling centres for the case: labour topics -> Faire Integration (EU citizens -> Faire
    Mobilität), recognition -> IQ counselling (ZSBA when abroad), residence -> migration counselling."""
    from bot.knowledge.directory import get_directory

    return get_directory().route(topic or "labour_rights", bundesland, eu_citizen, abroad)
