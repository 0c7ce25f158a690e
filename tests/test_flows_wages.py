"""Wage check maths (bot/flows/wages.py) against the figures of the knowledge base."""
import datetime as dt

import pytest

from bot.flows.wages import WageRules, compute, guess_unit, parse_number, rules_from_kb

DAY_2026 = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def rules():
    return rules_from_kb(DAY_2026)


def test_rules_are_the_figures_valid_on_the_day(rules):
    assert rules.minimum_wage == 13.90 and rules.minimum_wage_since == dt.date(2026, 1, 1)
    assert rules.minijob_limit == 603
    assert rules.next_minimum_wage == 14.60 and rules.next_minimum_wage_from == dt.date(2027, 1, 1)
    later = rules_from_kb(dt.date(2027, 2, 1))
    assert later.minimum_wage == 14.60 and later.next_minimum_wage is None


def test_hourly_pay_below_the_minimum(rules):
    facts = compute(12.0, "hour", 40, "brutto", False, rules)
    assert facts.below_minimum is True
    assert facts.minimum_monthly == pytest.approx(13.90 * 40 * 52 / 12)
    assert facts.shortfall_per_month == pytest.approx((13.90 - 12) * 40 * 52 / 12)


def test_monthly_pay_converted_to_hourly(rules):
    facts = compute(2000, "month", 40, "brutto", False, rules)
    assert facts.hourly == pytest.approx(2000 / (40 * 52 / 12))
    assert facts.below_minimum is True            # about 11.54 €/h
    ok = compute(2500, "month", 40, "brutto", False, rules)
    assert ok.below_minimum is False and ok.below_next_minimum is True  # 14.42 €/h < 14.60 from 2027


def test_netto_below_the_brutto_minimum_is_unclear(rules):
    assert compute(12.5, "hour", 40, "netto", False, rules).below_minimum is None
    assert compute(14.0, "hour", 40, "netto", False, rules).below_minimum is False  # brutto is even higher


def test_minijob_limit(rules):
    fits = compute(13.90, "hour", 10, None, True, rules)        # about 602 € a month
    assert fits.minijob_fits is True and not fits.above_minijob_limit
    over = compute(14.0, "hour", 12, None, True, rules)         # about 728 € a month
    assert over.minijob_fits is False and over.above_minijob_limit
    assert fits.minijob_max_hours_per_month == pytest.approx(603 / 13.90)


def test_in_2027_the_new_figures_apply():
    rules_2027 = rules_from_kb(dt.date(2027, 3, 1))
    assert compute(14.0, "hour", 40, "brutto", False, rules_2027).below_minimum is True


def test_invalid_amounts_are_refused():
    rules = WageRules(DAY_2026, 13.90, None, 603)
    with pytest.raises(ValueError):
        compute(12, "hour", -5, "brutto", False, rules)
    with pytest.raises(ValueError):
        compute(0, "hour", 40, "brutto", False, rules)


@pytest.mark.parametrize("text, value", [
    ("12,50", 12.5), ("12.50 €", 12.5), ("1.800", 1800), ("1,800", 1800), ("1 800 euro", 1800), ("1.800,50", 1800.5),
    ("-5", -5), ("minus 5", -5), ("۱۲ یورو", 12), ("I get 9 euros per hour", 9), ("abc", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_guess_unit():
    assert guess_unit(12) == "hour" and guess_unit(1800) == "month" and guess_unit(150) is None
