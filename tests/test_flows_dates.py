"""Dates and durations as people write them (bot/flows/dates.py), relative to a fixed day."""
import datetime as dt

import pytest

from bot.flows.dates import add_months, parse_date, parse_duration_months

TODAY = dt.date(2026, 11, 21)  # a Saturday
YESTERDAY = dt.date(2026, 11, 20)
LAST_MONDAY = dt.date(2026, 11, 16)


@pytest.mark.parametrize("text, lang", [
    ("yesterday", "en"), ("gestern", "de"), ("gestern Morgen", "de"), ("أمس", "ar"), ("امبارح", "ar"),
    ("مبارح", "ar"), ("البارحة", "ar"), ("دیروز", "fa"), ("вчора", "uk"), ("вчера", "ru"), ("dün", "tr"),
    ("ieri", "ro"), ("вчера", "bg"), ("wczoraj", "pl"), ("hier", "fr"),
    ("I got the letter yesterday evening", "en"), ("Я отримала лист учора", "uk"), ("dün aldım", "tr"),
])
def test_yesterday_in_every_language(text, lang):
    answer = parse_date(text, lang, TODAY)
    assert answer.ok and answer.day == YESTERDAY


@pytest.mark.parametrize("text, lang", [
    ("last Monday", "en"), ("letzten Montag", "de"), ("am Montag", "de"), ("الاثنين الماضي", "ar"),
    ("دوشنبه گذشته", "fa"), ("минулого понеділка", "uk"), ("в прошлый понедельник", "ru"),
    ("geçen pazartesi", "tr"), ("lunea trecută", "ro"), ("миналия понеделник", "bg"),
    ("w zeszły poniedziałek", "pl"), ("lundi dernier", "fr"),
])
def test_last_monday(text, lang):
    assert parse_date(text, lang, TODAY).day == LAST_MONDAY


@pytest.mark.parametrize("text, lang", [
    ("3 days ago", "en"), ("three days ago", "en"), ("vor 3 Tagen", "de"), ("قبل 3 أيام", "ar"),
    ("۳ روز پیش", "fa"), ("3 дні тому", "uk"), ("3 дня назад", "ru"), ("3 gün önce", "tr"),
    ("acum 3 zile", "ro"), ("преди 3 дни", "bg"), ("3 dni temu", "pl"), ("il y a 3 jours", "fr"),
])
def test_days_ago(text, lang):
    assert parse_date(text, lang, TODAY).day == dt.date(2026, 11, 18)


@pytest.mark.parametrize("text, lang, expected", [
    ("on the 3rd", "en", dt.date(2026, 11, 3)), ("am 3.", "de", dt.date(2026, 11, 3)),
    ("le 3", "fr", dt.date(2026, 11, 3)), ("ayın 3'ünde", "tr", dt.date(2026, 11, 3)),
    ("on the 25th", "en", dt.date(2026, 10, 25)),  # not yet this month: last month
    ("12.10.", "de", dt.date(2026, 10, 12)), ("12.10", "de", dt.date(2026, 10, 12)),
    ("12.10.2026", "de", dt.date(2026, 10, 12)), ("2026-10-12", "en", dt.date(2026, 10, 12)),
    ("25.12.", "de", dt.date(2025, 12, 25)),  # the last 25 December, not the coming one
    ("3. November", "de", dt.date(2026, 11, 3)), ("3 марта", "ru", dt.date(2026, 3, 3)),
    ("12 жовтня", "uk", dt.date(2026, 10, 12)), ("12 أكتوبر", "ar", dt.date(2026, 10, 12)),
    ("Ich habe die Kündigung am 3. November bekommen", "de", dt.date(2026, 11, 3)),
    ("vor einer Woche", "de", dt.date(2026, 11, 14)),
])
def test_dates_as_people_write_them(text, lang, expected):
    assert parse_date(text, lang, TODAY).day == expected


@pytest.mark.parametrize("text, lang", [("tomorrow", "en"), ("morgen", "de"), ("next Monday", "en"),
                                        ("31.12.2026", "de"), ("2027-01-05", "en")])
def test_future_dates_are_reported_as_future(text, lang):
    answer = parse_date(text, lang, TODAY)
    assert not answer.ok and answer.problem == "future"


@pytest.mark.parametrize("text", ["abc", "", "???", "30.02.", "no idea"])
def test_nonsense_is_not_a_date(text):
    answer = parse_date(text, "en", TODAY)
    assert not answer.ok and answer.problem == "unparsed"


def test_relative_base_is_injectable():
    assert parse_date("yesterday", "en", dt.date(2027, 3, 1)).day == dt.date(2027, 2, 28)


@pytest.mark.parametrize("text, lang, months", [
    ("2 years", "en", 24), ("6 Monate", "de", 6), ("1,5 Jahre", "de", 18), ("سنتين", "ar", 24),
    ("3 роки", "uk", 36), ("8 months", "en", 8), ("a year", "en", 12), ("2 yıl", "tr", 24), ("5 lat", "pl", 60),
    ("منذ 3 سنوات", "ar", 36),
])
def test_durations(text, lang, months):
    assert parse_duration_months(text, lang, TODAY) == pytest.approx(months, abs=0.01)


def test_duration_since_a_date_or_year():
    assert parse_duration_months("seit 01.03.2023", "de", TODAY) == pytest.approx(44.7, abs=0.1)
    assert parse_duration_months("since 2019", "en", TODAY) == pytest.approx(94.6, abs=0.2)


def test_negative_and_missing_durations():
    assert parse_duration_months("-2 years", "en", TODAY) < 0
    assert parse_duration_months("abc", "en", TODAY) is None


def test_add_months_keeps_month_ends():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)
