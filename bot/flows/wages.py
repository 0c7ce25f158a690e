"""Wage check maths, pure and unit-tested: pay per hour against the minimum wage valid on the day
concerned, and monthly earnings against the Minijob limit. The figures come in as `WageRules`, read
from the knowledge entries wages-minimum-wage and wages-minijob by `rules_from_kb(day)`."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKS_PER_MONTH = 52 / 12  # the usual average (about 4.33 weeks)
MAX_HOURS_PER_WEEK = 80
MAX_HOURLY = 500.0
MAX_MONTHLY = 50_000.0


@dataclass(frozen=True)
class WageRules:
    day: dt.date
    minimum_wage: float
    minimum_wage_since: dt.date | None
    minijob_limit: float
    next_minimum_wage: float | None = None
    next_minimum_wage_from: dt.date | None = None
    next_minijob_limit: float | None = None
    exemption_age: int | None = None


def rules_from_kb(day: dt.date | None = None) -> WageRules:
    from bot.flows.figures import get_figures

    day = day or dt.date.today()
    f = get_figures()
    wage = f.figure("wages-minimum-wage", "minimum_wage_hourly", day)
    nxt = f.next_change("wages-minimum-wage", "minimum_wage_hourly", day)
    nxt_limit = f.next_change("wages-minijob", "minijob_monthly_limit", day)
    age = f.maybe("wages-minimum-wage", "minimum_wage_exemption_age_below", day)
    return WageRules(
        day=day, minimum_wage=wage.value, minimum_wage_since=wage.valid_from,
        minijob_limit=f.value("wages-minijob", "minijob_monthly_limit", day),
        next_minimum_wage=nxt.value if nxt else None, next_minimum_wage_from=nxt.valid_from if nxt else None,
        next_minijob_limit=nxt_limit.value if nxt_limit else None,
        exemption_age=int(age.value) if age else None,
    )


@dataclass(frozen=True)
class WageFacts:
    hourly: float
    monthly: float
    hours_per_month: float
    below_minimum: bool | None      # None: cannot tell (netto below the minimum)
    shortfall_per_month: float      # brutto the user should get at least, minus what they get
    minimum_monthly: float
    below_next_minimum: bool | None
    minijob_fits: bool | None       # None: no Minijob question (clearly above the limit) or unknown
    above_minijob_limit: bool
    minijob_max_hours_per_month: float
    rules: WageRules


def compute(amount: float, unit: str, hours_per_week: float, basis: str | None, minijob: bool | None,
            rules: WageRules) -> WageFacts:
    if amount <= 0 or hours_per_week <= 0:
        raise ValueError("amount and hours must be positive")
    hours_per_month = hours_per_week * WEEKS_PER_MONTH
    if unit == "hour":
        hourly, monthly = amount, amount * hours_per_month
    else:
        hourly, monthly = amount / hours_per_month, amount
    minimum_monthly = rules.minimum_wage * hours_per_month
    below = hourly < rules.minimum_wage - 0.005
    if basis == "netto" and below:
        below_minimum = None  # netto below the brutto minimum says nothing for sure
    else:
        below_minimum = below
    below_next = None
    if rules.next_minimum_wage is not None and below_minimum is not None:
        below_next = hourly < rules.next_minimum_wage - 0.005
    above_limit = monthly > rules.minijob_limit + 0.005
    return WageFacts(
        hourly=hourly, monthly=monthly, hours_per_month=hours_per_month, below_minimum=below_minimum,
        shortfall_per_month=max(0.0, minimum_monthly - monthly), minimum_monthly=minimum_monthly,
        below_next_minimum=below_next,
        minijob_fits=None if minijob is not True else not above_limit,
        above_minijob_limit=above_limit,
        minijob_max_hours_per_month=rules.minijob_limit / rules.minimum_wage,
        rules=rules,
    )


_AMOUNT = re.compile(r"(?<![\w.,])(-?\s?\d{1,3}(?:[.\s ]\d{3})+(?:,\d{1,2})?|-?\s?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?"
                     r"|-?\s?\d+(?:[.,]\d{1,2})?)(?![\d])")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬", "01234567890123456789.,")


def parse_number(text: str) -> float | None:
    """The first amount in a text: '12,50', '12.50', '1.800', '1,800', '1 800', '-5', '۱۲'."""
    text = text.translate(_DIGITS)
    if re.search(r"(?<!\w)minus\s*\d", text.lower()):
        text = re.sub(r"(?i)minus\s*", "-", text)
    match = _AMOUNT.search(text)
    if not match:
        return None
    raw = re.sub(r"\s", "", match[1])
    negative = raw.startswith("-")
    raw = raw.lstrip("-")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", raw):      # 1.800 or 1.800,50
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", raw):    # 1,800 or 1,800.50
        raw = raw.replace(",", "")
    else:
        raw = raw.replace(",", ".")
    value = float(raw)
    return -value if negative else value


def guess_unit(amount: float) -> str | None:
    """Hourly pay is below 60 €, monthly pay from 300 €; in between we have to ask."""
    if amount < 60:
        return "hour"
    if amount >= 300:
        return "month"
    return None
