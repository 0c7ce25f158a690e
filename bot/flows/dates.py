"""Dates and durations as people write them, in the 11 curated languages.

`parse_date("امبارح", "ar", today=...)` -> yesterday. Own rules first (they use the same word lists as the
spaCy entity_ruler, nlu_data/entities/time_words.yml): numeric and ISO dates, "yesterday"-words,
"(last) Monday", "3 days ago", "3. März", "on the 3rd". Then `dateparser` (PREFER_DATES_FROM=past,
RELATIVE_BASE=today) for everything else it knows ("three days ago", "le 3 novembre").
Dates in the future are reported as such, so the caller can ask again.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.entities import ENTITY_DIR
from bot.flows.vocab import extra_weekdays
from bot.text_normalise import fold

UNIT_MONTHS = {"day": 12 / 365.25, "week": 12 * 7 / 365.25, "month": 1.0, "year": 12.0}
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
# Arabic dual forms mean "two <unit>" without a number.
DUALS = {fold(k): v for k, v in {"يومين": ("day", 2), "اسبوعين": ("week", 2), "أسبوعين": ("week", 2),
                                  "شهرين": ("month", 2), "سنتين": ("year", 2), "عامين": ("year", 2)}.items()}
NUMBER = r"(?<![\d.,])(\d{1,4}(?:[.,]\d{1,2})?)(?![\d])"
DATEPARSER_LANGS = {"de", "en", "ar", "fa", "uk", "ru", "tr", "ro", "bg", "pl", "fr"}


@dataclass(frozen=True)
class DateAnswer:
    day: dt.date | None
    problem: str | None = None  # None | "unparsed" | "future"

    @property
    def ok(self) -> bool:
        return self.day is not None and self.problem is None


@dataclass(frozen=True)
class Words:
    relative: dict[str, int]        # folded word -> day offset
    weekdays: dict[str, int]        # folded word -> 1..7
    months: dict[str, int]          # folded word -> 1..12
    units: dict[str, str]           # folded word -> day|week|month|year
    ago: frozenset[str]             # "ago" words (not "since")
    since: frozenset[str]
    last: frozenset[str]
    next: frozenset[str]
    ambiguous: frozenset[str]


@lru_cache
def _time_words() -> dict:
    return yaml.safe_load((ENTITY_DIR / "time_words.yml").read_text(encoding="utf-8"))["language_words"]


@lru_cache
def words_for(langs: tuple[str, ...]) -> Words:
    data = _time_words()
    relative, weekdays, months, units = {}, {}, {}, {}
    ago, since, last, nxt, ambiguous = set(), set(), set(), set(), set()
    for lang in langs:
        w = data.get(lang) or {}
        for offset, terms in (w.get("relative_day_offsets") or {}).items():
            for term in terms:
                relative.setdefault(fold(term), int(offset))
        for number, terms in (w.get("weekday_numbers") or {}).items():
            for term in terms:
                weekdays.setdefault(fold(term), int(number))
        for number, terms in extra_weekdays().get(lang, {}).items():
            for term in terms:
                weekdays.setdefault(fold(term), int(number))
        for number, terms in (w.get("month_numbers") or {}).items():
            for term in terms:
                months.setdefault(fold(term), int(number))
        for unit, terms in (w.get("units") or {}).items():
            for term in terms:
                units.setdefault(fold(term), unit)
        lang_since = {fold(t) for t in w.get("since") or []}
        since |= lang_since
        ago |= {fold(t) for t in w.get("ago") or []} - lang_since
        last |= {fold(t) for t in w.get("last") or []}
        nxt |= {fold(t) for t in w.get("next") or []}
        ambiguous |= {fold(t) for t in w.get("ambiguous") or []}
    return Words(relative, weekdays, months, units, frozenset(ago), frozenset(since), frozenset(last),
                 frozenset(nxt), frozenset(ambiguous))


def languages_for(lang: str | None) -> tuple[str, ...]:
    """The user's language first, then German and English (people mix them in)."""
    ordered = [lang] if lang in DATEPARSER_LANGS else []
    return tuple(dict.fromkeys(ordered + ["de", "en"]))


def normalise(text: str) -> str:
    return fold(text.translate(DIGITS))


def find_terms(text: str, terms: dict[str, object] | frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of every term in the folded text; longest first at the same place."""
    found = []
    for term in terms:
        if not term:
            continue
        if ARABIC_SCRIPT.search(term):
            pattern = re.escape(term)  # Arabic glues prefixes to words
        else:
            pattern = rf"(?<!\w){re.escape(term)}(?!\w)"
        found += [(m.start(), m.end(), term) for m in re.finditer(pattern, text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept, end = [], -1
    for start, stop, term in found:  # drop matches inside a longer match
        if start >= end:
            kept.append((start, stop, term))
            end = stop
    return kept


def to_number(raw: str) -> float:
    return float(raw.replace(",", "."))


def most_recent(day: int, month: int, today: dt.date) -> dt.date | None:
    """The latest date with this day and month that is not after today."""
    for year in (today.year, today.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _numeric_date(text: str, today: dt.date) -> DateAnswer | None:
    iso = re.search(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)", text)
    if iso:
        return _checked(_safe_date(int(iso[1]), int(iso[2]), int(iso[3])), today)
    match = re.search(r"(?<![\d.,])(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?\.?(?![\d/])", text)
    if not match:
        return None
    day, month = int(match[1]), int(match[2])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if match[3]:
        year = int(match[3])
        year = year + 2000 if year < 100 else year
        return _checked(_safe_date(year, month, day), today)
    candidate = most_recent(day, month, today)
    return DateAnswer(candidate) if candidate else DateAnswer(None, "unparsed")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _checked(day: dt.date | None, today: dt.date) -> DateAnswer:
    if day is None:
        return DateAnswer(None, "unparsed")
    if day > today:
        return DateAnswer(day, "future")
    return DateAnswer(day)


def _ago(text: str, words: Words, today: dt.date) -> DateAnswer | None:
    """'3 days ago', 'vor 3 Tagen', 'قبل 3 أيام', 'a week ago' (no number = 1)."""
    if not find_terms(text, words.ago):
        return None
    units = find_terms(text, words.units)
    if not units:
        return None
    start, _, unit_term = units[0]
    unit = words.units[unit_term]
    number = 1.0
    dual = DUALS.get(unit_term)
    numbers = [(m.start(), to_number(m[1])) for m in re.finditer(NUMBER, text)]
    if dual:
        number = dual[1]
    elif numbers:
        number = min(numbers, key=lambda n: abs(n[0] - start))[1]
    else:
        # "three days ago": dateparser knows number words; else "a week ago" = one
        return _dateparser(text, None, today) or _checked(_minus(today, unit, 1), today)
    return _checked(_minus(today, unit, number), today)


def _minus(today: dt.date, unit: str, number: float) -> dt.date:
    if unit == "day":
        return today - dt.timedelta(days=int(number))
    if unit == "week":
        return today - dt.timedelta(weeks=number)
    return add_months(today, -int(round(number * UNIT_MONTHS[unit])))


def _relative(text: str, words: Words, today: dt.date) -> DateAnswer | None:
    found = find_terms(text, words.relative)
    if not found:
        return None
    clear = [f for f in found if f[2] not in words.ambiguous]
    chosen = (clear or found)[0][2]
    return _checked(today + dt.timedelta(days=words.relative[chosen]), today)


def _weekday(text: str, words: Words, today: dt.date) -> DateAnswer | None:
    qualified = bool(find_terms(text, words.last) or find_terms(text, words.next))
    found = [f for f in find_terms(text, words.weekdays) if qualified or f[2] not in words.ambiguous]
    if not found:
        return None
    target = words.weekdays[found[0][2]]
    if find_terms(text, words.next):
        days_ahead = (target - today.isoweekday()) % 7 or 7
        return DateAnswer(today + dt.timedelta(days=days_ahead), "future")
    back = (today.isoweekday() - target) % 7
    if back == 0 and find_terms(text, words.last):
        back = 7
    return DateAnswer(today - dt.timedelta(days=back))


def _day_month(text: str, words: Words, today: dt.date) -> DateAnswer | None:
    months = find_terms(text, words.months)
    months = [m for m in months if m[2] not in words.ambiguous] or (
        months if re.search(r"\d", text) else [])
    if not months:
        return None
    start, end, term = months[0]
    month = words.months[term]
    numbers = [(m.start(), m.end(), int(m[1])) for m in re.finditer(r"(?<!\d)(\d{1,4})(?!\d)", text)]
    days = [n for n in numbers if 1 <= n[2] <= 31]
    years = [n for n in numbers if 1900 <= n[2] <= 2100]
    if not days:
        return None
    day = min(days, key=lambda n: min(abs(n[1] - start), abs(n[0] - end)))[2]
    if years:
        return _checked(_safe_date(years[0][2], month, day), today)
    candidate = most_recent(day, month, today)
    return DateAnswer(candidate) if candidate else DateAnswer(None, "unparsed")


def _day_of_month(text: str, today: dt.date) -> DateAnswer | None:
    """'on the 3rd', 'am 3.', 'le 3', '3-го', "ayın 3'ü": a lone day number = this or last month."""
    numbers = re.findall(r"(?<![\d.,])(\d{1,2})(?![\d,]|\.\d)", text)
    if len(numbers) != 1 or len(text.split()) > 6:
        return None
    day = int(numbers[0])
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(3):
        if day <= last_day_of_month(year, month) and dt.date(year, month, day) <= today:
            return DateAnswer(dt.date(year, month, day))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _dateparser(text: str, lang: str | None, today: dt.date) -> DateAnswer | None:
    import dateparser  # slow import; only needed here

    settings = {"PREFER_DATES_FROM": "past", "RELATIVE_BASE": dt.datetime.combine(today, dt.time(12)),
                "DATE_ORDER": "DMY", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}
    langs = [lang] if lang in DATEPARSER_LANGS else None
    try:
        parsed = dateparser.parse(text, languages=langs, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    if parsed is None:
        return None
    return _checked(parsed.date(), today)


def parse_date(text: str, lang: str | None = None, today: dt.date | None = None) -> DateAnswer:
    """The calendar day a person means, relative to `today` (injectable for tests)."""
    today = today or dt.date.today()
    folded = normalise(text)
    if not folded or not re.search(r"\w", folded):
        return DateAnswer(None, "unparsed")
    words = words_for(languages_for(lang))
    for rule in (lambda: _numeric_date(folded, today), lambda: _ago(folded, words, today),
                 lambda: _relative(folded, words, today), lambda: _day_month(folded, words, today),
                 lambda: _weekday(folded, words, today), lambda: _day_of_month(folded, today),
                 lambda: _dateparser(text.translate(DIGITS), lang, today)):
        answer = rule()
        if answer is not None and (answer.day is not None or answer.problem == "future"):
            return answer
    return DateAnswer(None, "unparsed")


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day N months later (or earlier); the month's last day if it has no such day (§ 188 (3) BGB)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, last_day_of_month(year, month)))


def months_between(start: dt.date, end: dt.date) -> float:
    return (end - start).days * 12 / 365.25


def parse_duration_months(text: str, lang: str | None = None, today: dt.date | None = None) -> float | None:
    """How long something lasted, in months: '2 years', '6 Monate', '1,5 Jahre', 'سنتين', 'since 2019',
    'seit März 2024'. None if no duration is found; negative numbers are returned as negative."""
    today = today or dt.date.today()
    folded = normalise(text)
    words = words_for(languages_for(lang))
    units = find_terms(folded, words.units)
    negative = bool(re.search(r"(?<![\w])-\s*\d|minus\s*\d", folded))
    if units:
        total = 0.0
        for start, _, term in units:
            dual = DUALS.get(term)
            if dual:
                total += dual[1] * UNIT_MONTHS[dual[0]]
                continue
            before = [m for m in re.finditer(NUMBER, folded[:start])]
            after = re.match(r"\s*" + NUMBER, folded[start + len(term):])
            if before and start - before[-1].end() <= 3:
                number = to_number(before[-1][1])
            elif ARABIC_SCRIPT.search(term) and after:
                number = to_number(after[1])
            elif before and len(units) == 1:
                number = to_number(before[-1][1])
            else:
                number = 1.0
            total += number * UNIT_MONTHS[words.units[term]]
        return -total if negative else total
    year = re.search(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", folded)
    if year or find_terms(folded, words.since) or find_terms(folded, words.months):
        started = parse_date(text, lang, today)
        if started.ok:
            return months_between(started.day, today)
        if year and int(year[1]) <= today.year:
            return months_between(dt.date(int(year[1]), 1, 1), today)
    return None
