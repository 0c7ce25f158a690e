"""The knowledge base: schema, selection of the right entry in many languages, figures, directory routing."""
import datetime as dt

import pytest

from bot.knowledge.base import get_knowledge_base
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.check import problems
from bot.knowledge.directory import get_directory
from bot.languages import CURATED

TODAY = dt.date(2026, 11, 21)


@pytest.fixture(scope="module")
def kb():
    return get_knowledge_base()


def test_kb_has_at_least_60_entries_covering_every_topic(kb):
    assert len(kb.entries) >= 60
    assert {e.topic for e in kb.entries} == {"recognition", "residence", "wages", "dismissal", "labour_rights"}


def test_kb_check_finds_no_problems_today(kb):
    assert problems(kb, TODAY) == []


def test_kb_check_reports_expired_figures_without_successor(kb):
    new_year = problems(kb, dt.date(2027, 1, 2))
    # Announced changes (minimum wage and Minijob limit for 2027) are already in the entries ...
    assert not any("minimum_wage_hourly" in p or "minijob_monthly_limit" in p for p in new_year)
    # ... while a figure that simply runs out (the Kurzarbeit extension) needs a curator.
    assert any("kug_extended_max_duration_months=24.0 expired on 2026-12-31" in p for p in new_year)


def test_kb_check_reports_stale_reviews(kb):
    assert any("older than 12 months" in p for p in problems(kb, dt.date(2028, 1, 1)))


def test_every_entry_has_every_language_and_https_sources(kb):
    for entry in kb.entries:
        assert set(CURATED) <= set(entry.content)
        assert all(str(s.url).startswith("https://") for s in entry.sources)


@pytest.mark.parametrize("text, intent, expected", [
    ("Wie hoch ist der Mindestlohn?", "ask_wages", "wages-minimum-wage"),
    ("ما هو الحد الأدنى للأجور في ألمانيا", "ask_wages", "wages-minimum-wage"),
    ("حداقل دستمزد در آلمان چقدر است", "ask_wages", "wages-minimum-wage"),
    ("яка мінімальна зарплата в німеччині", "ask_wages", "wages-minimum-wage"),
    ("Minijob 603 euro limit?", "ask_wages", "wages-minijob"),
    ("мене звільнили через вайбер", "report_dismissal", "dismissal-written-form"),
    ("was kostet die Anerkennung", "ask_recognition", "recognition-costs-funding"),
    ("Approbation als Arzt", "ask_recognition", "recognition-doctors"),
    ("what is an Aufhebungsvertrag", "ask_dismissal", "dismissal-termination-agreement"),
])
def test_selects_the_specific_entry(kb, text, intent, expected):
    assert kb.select(text, intent).id == expected


def test_falls_back_to_the_intents_default_entry(kb):
    assert kb.select("hilfe bitte", "report_dismissal").id == "dismissal-claim-deadline"
    assert kb.select("???", "ask_wages").id == "wages-minimum-wage"


def test_profession_entity_tailors_recognition_answer(kb):
    assert kb.select("kann ich hier arbeiten", "ask_recognition", {"PROFESSION": {"nurse"}}).id == "recognition-nurses"


def test_minimum_wage_figures_are_current_and_dated(kb):
    entry = kb.by_id["wages-minimum-wage"]
    now = {f.value for f in entry.current_figures(TODAY) if f.name == "minimum_wage_hourly"}
    later = {f.value for f in entry.current_figures(dt.date(2027, 1, 2)) if f.name == "minimum_wage_hourly"}
    assert now == {13.90} and later == {14.60}
    assert "13,90" in entry.content["de"].answer and "14,60" in entry.content["de"].answer


def test_catalogue_is_complete():
    assert Catalogue.load().missing() == []


@pytest.mark.parametrize("topic, land, eu, programme", [
    ("wages", "BY", False, "faire_integration"),
    ("dismissal", "BE", True, "faire_mobilitaet"),
    ("recognition", "NW", None, "iq_recognition"),
    ("residence", "SN", None, "migration_counselling"),
])
def test_directory_routes_topic_land_and_eu_status(topic, land, eu, programme):
    centres = get_directory().route(topic, land, eu)
    assert centres and centres[0].programme == programme
    if programme in ("faire_integration", "iq_recognition"):
        assert land in centres[0].bundeslaender  # the regional centre comes first


def test_directory_covers_all_laender():
    assert get_directory().gaps() == []
