"""Figures (legal numbers with validity dates) read from the knowledge entries, never hard-coded."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.knowledge.base import KnowledgeBase, get_knowledge_base
from bot.knowledge.schema import Figure


class MissingFigure(LookupError):
    pass


@dataclass(frozen=True)
class Figures:
    kb: KnowledgeBase

    def all(self, entry_id: str, name: str) -> list[Figure]:
        entry = self.kb.by_id.get(entry_id)
        if entry is None:
            raise MissingFigure(f"knowledge entry {entry_id} not found")
        return [f for f in entry.figures if f.name == name]

    def figure(self, entry_id: str, name: str, day: dt.date | None = None) -> Figure:
        """The figure valid on `day` (today if None)."""
        day = day or dt.date.today()
        valid = [f for f in self.all(entry_id, name) if f.valid_on(day)]
        if not valid:
            raise MissingFigure(f"{entry_id}: no figure {name} valid on {day}")
        return max(valid, key=lambda f: f.valid_from or dt.date.min)

    def value(self, entry_id: str, name: str, day: dt.date | None = None) -> float:
        return self.figure(entry_id, name, day).value

    def maybe(self, entry_id: str, name: str, day: dt.date | None = None) -> Figure | None:
        try:
            return self.figure(entry_id, name, day)
        except MissingFigure:
            return None

    def next_change(self, entry_id: str, name: str, day: dt.date) -> Figure | None:
        """The next figure of this name that starts after `day` (e.g. next year's minimum wage)."""
        later = [f for f in self.all(entry_id, name) if f.valid_from and f.valid_from > day]
        return min(later, key=lambda f: f.valid_from) if later else None

    def steps(self, entry_id: str, prefix_years: str, prefix_value: str) -> list[tuple[float, float]]:
        """Paired step figures such as service_years_step_N / employer_notice_step_N, sorted."""
        entry = self.kb.by_id[entry_id]
        years = {f.name.rsplit("_", 1)[1]: f.value for f in entry.figures if f.name.startswith(prefix_years)}
        values = {f.name.rsplit("_", 1)[1]: f.value for f in entry.figures if f.name.startswith(prefix_value)}
        return sorted((years[k], values[k]) for k in years if k in values)


def get_figures() -> Figures:
    return Figures(get_knowledge_base())


# Figures the guided flows compute with (entry id, figure name). `make kb-check` fails if one is missing
# or has no value valid today, so curators cannot silently break a calculator by renaming a figure.
FLOW_FIGURES = (
    ("dismissal-claim-deadline", "dismissal_claim_deadline"),
    ("dismissal-probation", "probation_notice_period"),
    ("dismissal-probation", "probation_max_duration"),
    ("dismissal-notice-periods", "notice_period_basic"),
    ("dismissal-notice-periods", "notice_period_mid_month_end_date"),
    ("dismissal-notice-periods", "service_years_step_1"),
    ("dismissal-notice-periods", "employer_notice_step_1"),
    ("dismissal-register-jobseeker", "jobseeker_registration_short_notice"),
    ("dismissal-register-jobseeker", "jobseeker_registration_lead_time"),
    ("wages-minimum-wage", "minimum_wage_hourly"),
    ("wages-minijob", "minijob_monthly_limit"),
    ("recognition-duration", "recognition_decision_deadline"),
)


def missing_flow_figures(kb: KnowledgeBase, day: dt.date) -> list[str]:
    figures, missing = Figures(kb), []
    for entry_id, name in FLOW_FIGURES:
        if figures.maybe(entry_id, name, day) is None:
            missing.append(f"{entry_id}:{name}")
    return missing
