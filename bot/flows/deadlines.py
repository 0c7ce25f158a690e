"""Dismissal deadlines, pure and unit-tested. The numbers (3 weeks, 4 weeks, 2 weeks, the service-year
steps, 3 days / 3 months) come in as `DismissalRules`, read from the knowledge entries by `rules_from_kb`.

- Claim at the labour court: 3 weeks after the written notice was received (§ 4 KSchG). The day of receipt
  does not count (§ 187 (1) BGB); the period ends on the same weekday 3 weeks later (§ 188 (2) BGB); if that
  is a Saturday, Sunday or public holiday at the place, it ends on the next working day (§ 193 BGB).
- Notice period (§ 622 BGB): probation 2 weeks; otherwise 4 weeks to the 15th or the end of a calendar
  month; if the employer dismisses after N years of service, 1-7 months to the end of a calendar month.
- Registration as job-seeking (§ 38 (1) SGB III): at the latest 3 months before the end; if the end is
  less than 3 months away when you learn of it, within 3 days.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

from bot.flows.dates import add_months, last_day_of_month
from bot.knowledge.schema import BUNDESLAENDER


@dataclass(frozen=True)
class DismissalRules:
    claim_weeks: int = 3
    probation_weeks: int = 2
    probation_max_months: int = 6
    basic_weeks: int = 4
    mid_month_day: int = 15
    # (years of service, months of notice to the end of a month), ascending
    employer_steps: tuple[tuple[float, int], ...] = ((2, 1), (5, 2), (8, 3), (10, 4), (12, 5), (15, 6), (20, 7))
    registration_days: int = 3
    registration_lead_months: int = 3


def rules_from_kb() -> DismissalRules:
    from bot.flows.figures import get_figures

    f = get_figures()
    return DismissalRules(
        claim_weeks=int(f.value("dismissal-claim-deadline", "dismissal_claim_deadline")),
        probation_weeks=int(f.value("dismissal-probation", "probation_notice_period")),
        probation_max_months=int(f.value("dismissal-probation", "probation_max_duration")),
        basic_weeks=int(f.value("dismissal-notice-periods", "notice_period_basic")),
        mid_month_day=int(f.value("dismissal-notice-periods", "notice_period_mid_month_end_date")),
        employer_steps=tuple((years, int(months)) for years, months in
                             f.steps("dismissal-notice-periods", "service_years_step_", "employer_notice_step_")),
        registration_days=int(f.value("dismissal-register-jobseeker", "jobseeker_registration_short_notice")),
        registration_lead_months=int(f.value("dismissal-register-jobseeker", "jobseeker_registration_lead_time")),
    )


@lru_cache(maxsize=64)
def _holidays(bundesland: str | None, year: int) -> holidays.HolidayBase:
    subdiv = bundesland if bundesland in BUNDESLAENDER else None
    return holidays.Germany(subdiv=subdiv, years=year, language="de")


def holiday_name(day: dt.date, bundesland: str | None) -> str | None:
    """The public holiday on this day in this Bundesland (nationwide ones only if the Land is unknown)."""
    return _holidays(bundesland, day.year).get(day)


def is_working_day(day: dt.date, bundesland: str | None) -> bool:
    return day.isoweekday() < 6 and holiday_name(day, bundesland) is None


@dataclass(frozen=True)
class Deadline:
    raw_end: dt.date               # the day the period ends by counting alone
    last_day: dt.date              # after moving off weekends and holidays (§ 193 BGB)
    moved_because: str | None      # None | "weekend" | the holiday's name

    @property
    def moved(self) -> bool:
        return self.last_day != self.raw_end


def next_working_day(day: dt.date, bundesland: str | None) -> Deadline:
    end, reason = day, None
    while not is_working_day(end, bundesland):
        if reason is None:
            reason = holiday_name(end, bundesland) or "weekend"
        end += dt.timedelta(days=1)
    return Deadline(day, end, reason)


def claim_deadline(received: dt.date, bundesland: str | None, rules: DismissalRules = DismissalRules()) -> Deadline:
    return next_working_day(received + dt.timedelta(weeks=rules.claim_weeks), bundesland)


def land_matters(received: dt.date, rules: DismissalRules = DismissalRules()) -> bool:
    """True if the claim deadline differs between Bundesländer (a regional holiday on the way):
    only then is it worth asking the user where they work."""
    results = {claim_deadline(received, land, rules).last_day for land in BUNDESLAENDER}
    return len(results) > 1


@dataclass(frozen=True)
class NoticePeriod:
    kind: str                  # probation | basic | extended
    end: dt.date               # earliest end of the job
    weeks: int | None = None
    months: int | None = None
    service_years: float | None = None


def _first_end_on_or_after(day: dt.date, mid_month_day: int, month_end_only: bool) -> dt.date:
    candidates = []
    for offset in range(0, 3):
        year, month = divmod(day.year * 12 + day.month - 1 + offset, 12)
        month += 1
        if not month_end_only:
            candidates.append(dt.date(year, month, mid_month_day))
        candidates.append(dt.date(year, month, last_day_of_month(year, month)))
    return min(c for c in candidates if c >= day)


def notice_period(received: dt.date, months_employed: float, probation: bool | None,
                  rules: DismissalRules = DismissalRules()) -> NoticePeriod:
    """The statutory notice period for a dismissal by the employer (contracts and collective
    agreements may set longer ones)."""
    if probation and months_employed <= rules.probation_max_months:
        return NoticePeriod("probation", received + dt.timedelta(weeks=rules.probation_weeks),
                            weeks=rules.probation_weeks)
    years = months_employed / 12
    months = 0
    for step_years, step_months in rules.employer_steps:
        if years >= step_years:
            months = step_months
    if months == 0:
        end = _first_end_on_or_after(received + dt.timedelta(weeks=rules.basic_weeks), rules.mid_month_day, False)
        return NoticePeriod("basic", end, weeks=rules.basic_weeks)
    end = _first_end_on_or_after(add_months(received, months), rules.mid_month_day, True)
    step = max(y for y, m in rules.employer_steps if m == months)
    return NoticePeriod("extended", end, months=months, service_years=step)


@dataclass(frozen=True)
class Registration:
    due: dt.date
    rule: str                  # "days" (within 3 days) | "months" (3 months before the end)


def registration_due(learned: dt.date, job_end: dt.date, bundesland: str | None,
                     rules: DismissalRules = DismissalRules()) -> Registration:
    lead_start = add_months(job_end, -rules.registration_lead_months)
    if learned < lead_start:
        return Registration(lead_start, "months")
    due = next_working_day(learned + dt.timedelta(days=rules.registration_days), bundesland).last_day
    return Registration(due, "days")


@dataclass(frozen=True)
class DismissalFacts:
    received: dt.date
    today: dt.date
    claim: Deadline
    days_left: int
    notice: NoticePeriod | None
    notice_if_probation: NoticePeriod | None
    registration: Registration
    written_form_ok: bool | None
    bundesland: str | None
    rules: DismissalRules = field(default_factory=DismissalRules)

    @property
    def passed(self) -> bool:
        return self.days_left < 0


def compute(received: dt.date, today: dt.date, *, months_employed: float | None, probation: bool | None,
            written_form_ok: bool | None, bundesland: str | None,
            rules: DismissalRules = DismissalRules()) -> DismissalFacts:
    claim = claim_deadline(received, bundesland, rules)
    notice = alt = None
    if months_employed is not None:
        notice = notice_period(received, months_employed, probation, rules)
        if probation is None and months_employed <= rules.probation_max_months:
            alt = notice_period(received, months_employed, True, rules)
    ends = [n.end for n in (notice, alt) if n is not None]
    job_end = min(ends) if ends else received + dt.timedelta(weeks=rules.probation_weeks)
    return DismissalFacts(
        received=received, today=today, claim=claim, days_left=(claim.last_day - today).days,
        notice=notice, notice_if_probation=alt,
        registration=registration_due(received, job_end, bundesland, rules),
        written_form_ok=written_form_ok, bundesland=bundesland, rules=rules,
    )
