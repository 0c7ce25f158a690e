"""The one place that decides when to offer a human counsellor, and whether the case is urgent."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.signals import detect_signals

# Intents where the user reports their own situation (as opposed to asking in general).
REPORT_INTENTS = frozenset({"report_dismissal", "report_unpaid_wages"})
URGENT_SIGNALS = frozenset({"livelihood_at_risk", "exploitation", "residence_at_risk"})
FALLBACKS_BEFORE_OFFER = 2


@dataclass(frozen=True)
class HandoffDecision:
    offer: bool
    urgent: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def decide(*, intent: str | None, text: str, fallback_count: int = 0, unanswered: bool = False) -> HandoffDecision:
    reasons: list[str] = []
    signals = detect_signals(text)
    reasons += sorted(signals)
    if intent == "request_human":
        reasons.append("asked_for_human")
    if intent in REPORT_INTENTS:
        # A dismissal starts the 3-week claim period; missing wages may hit contractual cut-off periods.
        reasons.append("deadline_running" if intent == "report_dismissal" else "wages_unpaid")
    if fallback_count >= FALLBACKS_BEFORE_OFFER:
        reasons.append("repeated_fallback")
    if unanswered:
        reasons.append("not_in_knowledge_base")
    # Urgent: a running deadline (a reported dismissal) or a livelihood/residence at risk.
    urgent = bool(signals & URGENT_SIGNALS) or intent == "report_dismissal"
    return HandoffDecision(offer=bool(reasons), urgent=urgent, reasons=tuple(dict.fromkeys(reasons)))
