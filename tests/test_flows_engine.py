"""The flows without Rasa: what an answer fills, what is asked next, stop/digression/re-ask, and the
handoff decision for the flows' results (bot/flows/engine.py, bot/handoff.py, bot/flows/results.py)."""
import datetime as dt

import pytest

from bot.flows.engine import Message, flows, handle
from bot.flows.results import result
from bot.handoff import FlowFacts, decide
from bot.knowledge.catalogue import Catalogue

TODAY = dt.date(2026, 11, 21)


def msg(text, lang="en", intent="inform", confidence=0.9, **values):
    entity_texts = {k: v for k, v in values.items() if k in ("DATE", "DURATION")}
    plain = {k: set(v) for k, v in values.items() if k not in ("DATE", "DURATION")}
    return Message(text=text, lang=lang, intent=intent, confidence=confidence, values=plain,
                   entity_texts=entity_texts, today=TODAY)


@pytest.fixture(scope="module")
def dismissal():
    return flows()["dismissal_form"]


def test_report_with_a_date_prefills_the_notice_date(dismissal):
    outcome = handle(dismissal, {}, None, msg("Мене звільнили вчора", "uk", "report_dismissal", DATE=["вчора"]),
                     prefill=True)
    assert outcome.updates["notice_date"] == "2026-11-20"
    assert dismissal.missing(outcome.updates, TODAY)[0] == "notice_form"


def test_whatsapp_in_the_report_answers_the_written_form_question(dismissal):
    outcome = handle(dismissal, {}, None, msg("they fired me by WhatsApp", intent="report_dismissal"), prefill=True)
    assert outcome.updates == {"notice_form": "electronic"}


def test_happy_path_asks_only_what_is_needed(dismissal):
    values = {}
    for requested, text in [("notice_date", "last Monday"), ("notice_form", "yes, a signed letter"),
                            ("employment_months", "3 years")]:
        assert dismissal.missing(values, TODAY)[0] == requested
        outcome = handle(dismissal, values, requested, msg(text), prefill=False)
        assert not outcome.problem, text
        values.update(outcome.updates)
    assert values == {"notice_date": "2026-11-16", "notice_form": "paper", "employment_months": 36.0}
    assert dismissal.complete(values, TODAY)  # 3 years: no probation question, no holiday question


def test_short_employment_asks_about_probation(dismissal):
    values = {"notice_date": "2026-11-16", "notice_form": "paper", "employment_months": 4}
    assert dismissal.missing(values, TODAY) == ["probation"]


def test_regional_holiday_makes_the_flow_ask_for_the_land(dismissal):
    values = {"notice_date": "2026-12-16", "notice_form": "paper", "employment_months": 36}
    assert dismissal.missing(values, dt.date(2026, 12, 17)) == ["work_region"]
    assert dismissal.missing({**values, "bundesland": "BY"}, dt.date(2026, 12, 17)) == []


@pytest.mark.parametrize("text, problem", [("abc", "invalid_date"), ("tomorrow", "invalid_date_future"),
                                           ("31.12.2026", "invalid_date_future")])
def test_bad_dates_get_a_friendly_reask(dismissal, text, problem):
    outcome = handle(dismissal, {}, "notice_date", msg(text, intent="nlu_fallback", confidence=0.2), prefill=False)
    assert outcome.problem == problem and not outcome.reject


def test_another_question_is_a_digression_not_an_answer(dismissal):
    outcome = handle(dismissal, {}, "notice_date",
                     msg("what is the minimum wage?", intent="ask_wages", confidence=0.95), prefill=False)
    assert outcome.reject


@pytest.mark.parametrize("text, lang", [("stop", "en"), ("abbrechen", "de"), ("стоп", "uk"), ("توقف", "ar"),
                                        ("dur", "tr"), ("arrête", "fr")])
def test_stop_pauses_in_any_language(dismissal, text, lang):
    assert handle(dismissal, {}, "notice_form", msg(text, lang, "deny"), prefill=False).stop


def test_a_date_while_asked_something_else_is_a_correction(dismissal):
    values = {"notice_date": "2026-11-16"}
    outcome = handle(dismissal, values, "notice_form",
                     msg("yes on paper, but it came on the 12.11.", DATE=["12.11."]), prefill=False)
    assert outcome.updates == {"notice_form": "paper", "notice_date": "2026-11-12"}


def test_wage_flow_reads_amount_unit_and_basis_at_once():
    wage = flows()["wage_form"]
    outcome = handle(wage, {}, "pay_amount", msg("1.800 € brutto im Monat", "de"), prefill=False)
    assert outcome.updates == {"pay_amount": 1800.0, "pay_unit": "month", "pay_basis": "brutto"}


@pytest.mark.parametrize("text", ["-5", "0", "200", "abc"])
def test_impossible_hours_are_refused(text):
    wage = flows()["wage_form"]
    outcome = handle(wage, {"pay_amount": 12, "pay_unit": "hour"}, "hours_per_week", msg(text), prefill=False)
    assert outcome.problem == "invalid_hours"


def test_wage_flow_skips_questions_that_do_not_matter():
    wage = flows()["wage_form"]
    high = {"pay_amount": 3000, "pay_unit": "month", "hours_per_week": 40}
    assert wage.missing(high, TODAY) == []  # above minimum and Minijob limit: nothing more to ask
    low = {"pay_amount": 9, "pay_unit": "hour", "hours_per_week": 40}
    assert wage.missing(low, TODAY) == ["pay_basis"]
    small = {"pay_amount": 13.9, "pay_unit": "hour", "hours_per_week": 8}
    assert wage.missing(small, TODAY) == ["minijob", "pay_basis"]


def test_recognition_flow_takes_entities_and_free_text():
    recognition = flows()["recognition_form"]
    outcome = handle(recognition, {}, None, msg("nurse from the Philippines", PROFESSION=["nurse"], COUNTRY=["PH"]),
                     prefill=True)
    assert outcome.updates == {"profession": "nurse", "country": "PH"}
    free = handle(recognition, {}, "profession", msg("Orgelbauerin"), prefill=False)
    assert free.updates == {"profession": "Orgelbauerin"}
    land = handle(recognition, {"profession": "nurse", "country": "PH"}, "abroad", msg("no, I live in Munich"),
                  prefill=False)
    assert land.updates["abroad"] == "no" and land.updates["work_region"] == "BY"


@pytest.mark.parametrize("text, intent", [("How long does recognition take?", "ask_recognition"),
                                          ("no", "deny"), ("I don't know", "deny")])
def test_free_text_profession_is_not_a_question_or_yes_no(text, intent):
    recognition = flows()["recognition_form"]
    outcome = handle(recognition, {}, "profession", msg(text, intent=intent, confidence=0.9), prefill=False)
    assert "profession" not in outcome.updates
    assert outcome.reject == (intent == "ask_recognition")


def test_residence_question_from_words():
    residence = flows()["residence_form"]
    outcome = handle(residence, {"residence_title": "blue_card"}, "residence_question",
                     msg("can I change my employer?"), prefill=False)
    assert outcome.updates == {"residence_question": "change_employer"}


def test_handoff_for_flow_results():
    close = decide(intent="inform", text="", facts=FlowFacts("dismissal", deadline_days_left=5))
    assert close.offer and close.urgent and "deadline_running" in close.reasons
    far = decide(intent="inform", text="", facts=FlowFacts("dismissal", deadline_days_left=18))
    assert far.offer and not far.urgent
    passed = decide(intent="inform", text="", facts=FlowFacts("dismissal", deadline_days_left=-3))
    assert passed.urgent and "deadline_passed" in passed.reasons
    unpaid = decide(intent="inform", text="", facts=FlowFacts("unpaid", unpaid_months=2, livelihood_at_risk=True))
    assert unpaid.offer and unpaid.urgent
    short = decide(intent="inform", text="", facts=FlowFacts("unpaid", unpaid_months=0.5))
    assert not short.offer
    job_loss = decide(intent="inform", text="", facts=FlowFacts("residence", residence_title="blue_card",
                                                                residence_question="job_loss"))
    assert job_loss.offer and "residence_at_risk" in job_loss.reasons
    earlier = decide(intent="inform", text="ok", seen_signals=frozenset({"exploitation"}))
    assert earlier.offer and earlier.urgent


def test_single_messages_keep_their_triage_decision():
    assert decide(intent="report_dismissal", text="I was fired yesterday").urgent
    assert decide(intent="ask_wages", text="My boss took my passport").urgent
    assert decide(intent="nlu_fallback", text="???", fallback_count=2).reasons == ("repeated_fallback",)


@pytest.mark.parametrize("lang", ["de", "en", "ar", "uk", "tr"])
def test_results_render_in_every_flow(lang):
    cases = {
        "dismissal_form": {"notice_date": "2026-11-14", "notice_form": "electronic", "employment_months": 4,
                           "probation": "unknown"},
        "wage_form": {"pay_amount": 1500, "pay_unit": "month", "hours_per_week": 40, "pay_basis": "brutto"},
        "unpaid_form": {"unpaid_months": 2, "livelihood": "at_risk"},
        "recognition_form": {"profession": "nurse", "country": "PH", "abroad": "yes", "work_region": "BY"},
        "residence_form": {"residence_title": "blue_card", "residence_question": "job_loss"},
    }
    for form, values in cases.items():
        out = result(flows()[form], values, lang, TODAY, eu=None, seen_signals=frozenset(), text="", intent="inform")
        text = out.replies[0][0]
        assert "{" not in text and "https://" in text, (form, text)
        assert out.decision.offer


def test_late_registration_says_today():
    values = {"notice_date": "2026-11-16", "notice_form": "paper", "employment_months": 24}
    out = result(flows()["dismissal_form"], values, "en", TODAY, eu=None, seen_signals=frozenset(), text="",
                 intent="inform")
    assert "**today**" in out.replies[0][0] and "Thu 19.11.2026" in out.replies[0][0]


def test_wage_result_in_local_number_format():
    values = {"pay_amount": 1600, "pay_unit": "month", "hours_per_week": 40, "pay_basis": "netto"}
    out = result(flows()["wage_form"], values, "de", TODAY, eu=None, seen_signals=frozenset(), text="",
                 intent="inform")
    text = out.replies[0][0]
    assert "13,90 €" in text and "9,23 €" in text and "2409,33 €" in text  # brutto needed for 40 h
    assert out.decision.offer and "wage_unclear" in out.decision.reasons


def test_kb_check_guards_the_figures_the_flows_need():
    from bot.flows.figures import missing_flow_figures
    from bot.knowledge.base import get_knowledge_base

    assert missing_flow_figures(get_knowledge_base(), TODAY) == []
    assert missing_flow_figures(get_knowledge_base(), dt.date(2027, 6, 1)) == []  # 2027 figures are in place


def test_catalogue_still_complete():
    assert Catalogue.load().missing() == []
