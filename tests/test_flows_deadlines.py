"""Dismissal deadline maths (bot/flows/deadlines.py) with the figures from the knowledge base."""
import datetime as dt

import pytest

from bot.flows.deadlines import (
    DismissalRules, claim_deadline, compute, land_matters, notice_period, registration_due, rules_from_kb,
)


@pytest.fixture(scope="module")
def rules():
    return rules_from_kb()


def test_rules_come_from_the_knowledge_base(rules):
    assert rules == DismissalRules()  # the statutory values, read from the entries' figures
    assert rules.employer_steps[0] == (2, 1) and rules.employer_steps[-1] == (20, 7)


def test_three_weeks_on_a_weekday(rules):
    deadline = claim_deadline(dt.date(2026, 11, 20), "BE", rules)  # Friday
    assert deadline.last_day == dt.date(2026, 12, 11) and not deadline.moved


def test_deadline_on_a_saturday_moves_to_monday(rules):
    deadline = claim_deadline(dt.date(2026, 11, 14), "BE", rules)  # received on a Saturday
    assert deadline.raw_end == dt.date(2026, 12, 5)
    assert deadline.last_day == dt.date(2026, 12, 7) and deadline.moved_because == "weekend"


def test_bavarian_holiday_moves_the_deadline_only_in_bavaria(rules):
    received = dt.date(2026, 12, 16)  # + 3 weeks = Wed 6 Jan 2027, Heilige Drei Könige in BY, BW, ST
    bavaria = claim_deadline(received, "BY", rules)
    berlin = claim_deadline(received, "BE", rules)
    assert bavaria.last_day == dt.date(2027, 1, 7) and bavaria.moved_because == "Heilige Drei Könige"
    assert berlin.last_day == dt.date(2027, 1, 6) and not berlin.moved
    assert land_matters(received, rules)  # so the flow asks where the user works
    assert not land_matters(dt.date(2026, 11, 20), rules)


def test_nationwide_holiday_and_weekend_chain(rules):
    # + 3 weeks = Fri 25 Dec 2026 (Christmas), Sat 26 Dec (2nd day), Sun -> Monday 28 Dec
    deadline = claim_deadline(dt.date(2026, 12, 4), None, rules)
    assert deadline.last_day == dt.date(2026, 12, 28) and deadline.moved_because == "Erster Weihnachtstag"


@pytest.mark.parametrize("received, months, probation, kind, end", [
    (dt.date(2026, 11, 20), 3, True, "probation", dt.date(2026, 12, 4)),
    (dt.date(2026, 4, 17), 12, False, "basic", dt.date(2026, 5, 15)),   # 28 days before the 15th: still in time
    (dt.date(2026, 4, 18), 12, False, "basic", dt.date(2026, 5, 31)),   # one day later: end of month
    (dt.date(2026, 3, 31), 30, False, "extended", dt.date(2026, 4, 30)),  # 2 years: 1 month to month end
    (dt.date(2026, 4, 1), 30, False, "extended", dt.date(2026, 5, 31)),
    (dt.date(2026, 3, 15), 6 * 12, False, "extended", dt.date(2026, 5, 31)),  # 5 years: 2 months
    (dt.date(2026, 1, 10), 21 * 12, False, "extended", dt.date(2026, 8, 31)),  # 20 years: 7 months
    (dt.date(2026, 11, 20), 8, True, "basic", dt.date(2026, 12, 31)),  # probation lasts at most 6 months
])
def test_notice_periods(rules, received, months, probation, kind, end):
    notice = notice_period(received, months, probation, rules)
    assert (notice.kind, notice.end) == (kind, end)


def test_extended_period_names_the_service_step(rules):
    notice = notice_period(dt.date(2026, 3, 15), 9 * 12, False, rules)
    assert notice.months == 3 and notice.service_years == 8


def test_registration_within_three_days_or_three_months_before_the_end(rules):
    short = registration_due(dt.date(2026, 11, 20), dt.date(2026, 12, 31), None, rules)
    assert short.rule == "days" and short.due == dt.date(2026, 11, 23)
    long = registration_due(dt.date(2026, 1, 10), dt.date(2026, 8, 31), None, rules)
    assert long.rule == "months" and long.due == dt.date(2026, 5, 31)


def test_registration_day_off_a_weekend(rules):
    due = registration_due(dt.date(2026, 11, 18), dt.date(2026, 12, 2), None, rules)  # +3 = Saturday
    assert due.due == dt.date(2026, 11, 23)


def test_compute_counts_days_left_and_passed(rules):
    facts = compute(dt.date(2026, 11, 20), dt.date(2026, 11, 21), months_employed=3, probation=None,
                    written_form_ok=True, bundesland=None, rules=rules)
    assert facts.days_left == 20 and not facts.passed
    assert facts.notice.kind == "basic" and facts.notice_if_probation.kind == "probation"
    assert facts.registration.due == dt.date(2026, 11, 23)
    late = compute(dt.date(2026, 10, 1), dt.date(2026, 11, 21), months_employed=40, probation=False,
                   written_form_ok=False, bundesland="BY", rules=rules)
    assert late.passed and late.days_left < 0
