"""The guided flows end to end: Conversation -> Rasa server (forms, rules) -> action server (bot/flows).
Multi-turn conversations keep one user key, and pass the language along like the Telegram front does."""
import datetime as dt
import uuid

import pytest

from bot.answers import format_date
from bot.conversation import Conversation, Incoming
from bot.flows.deadlines import claim_deadline, rules_from_kb
from bot.knowledge.catalogue import t
from bot.rasa_client import RasaClient

pytestmark = pytest.mark.stack


@pytest.fixture
async def conversation(stack, detector):
    rasa = RasaClient(stack.rasa_url, timeout=60)
    yield Conversation(rasa, detector)
    await rasa.aclose()


class Chat:
    def __init__(self, conversation, chat_type="private", lang_hint=None):
        self.conversation, self.chat_type, self.lang_hint = conversation, chat_type, lang_hint
        self.key = f"flow-{uuid.uuid4().hex}"
        self.lang = None

    async def say(self, text):
        outcome = await self.conversation.handle(Incoming(text, self.key, self.lang_hint, self.lang, self.chat_type))
        self.lang = outcome.lang
        outcome.text = "\n".join(m.text for m in outcome.messages)
        outcome.payloads = [p for m in outcome.messages for _, p in m.buttons]
        return outcome


async def finish(chat, outcome):
    """A regional holiday on the deadline day makes the calculator ask for the Land; answer it."""
    if outcome.meta.get("asking") == "work_region":
        outcome = await chat.say("Berlin")
    return outcome


def first_line(key, lang, **values):
    return t(key, lang, **values).split("\n")[0]


async def test_ukrainian_dismissal_flow_uses_the_date_from_the_report(conversation):
    chat = Chat(conversation)
    first = await chat.say("Мене звільнили вчора")
    assert first.lang == "uk" and first.meta["kb_id"].startswith("dismissal-")
    assert first.meta["handoff"] and first.meta["urgent"]            # the answer to the report itself
    assert first.meta["flow"] == "dismissal" and first.meta["asking"] == "notice_form"  # date not asked again
    assert t("ask_notice_form", "uk") in first.text
    second = await chat.say('/inform{"choice": "paper"}')
    assert second.meta["asking"] == "employment_months" and t("ask_employment_months", "uk") in second.text
    result = await finish(chat, await chat.say("3 роки"))
    yesterday = dt.date.today() - dt.timedelta(days=1)
    deadline = claim_deadline(yesterday, "BE", rules_from_kb())  # = nationwide unless the flow asked
    assert result.lang == "uk" and result.meta["flow"] == "dismissal"
    assert format_date(deadline.last_day) in result.text and "§ 4 KSchG" in result.text
    assert result.meta["days_left"] == (deadline.last_day - dt.date.today()).days
    assert result.meta["handoff"] is True and result.meta["urgent"] is False  # about 3 weeks left
    assert "https://" in result.text


async def test_a_correction_after_the_result_updates_it(conversation):
    chat = Chat(conversation, lang_hint="en")
    await chat.say("/check_deadline")
    await chat.say("yesterday")
    await chat.say('/inform{"choice": "paper"}')
    first = await finish(chat, await chat.say('/inform{"choice": "36"}'))
    assert first.meta["flow"] == "dismissal"
    corrected = await finish(chat, await chat.say("12.11."))
    received = dt.date(dt.date.today().year, 11, 12)
    received = received if received <= dt.date.today() else received.replace(year=received.year - 1)
    assert corrected.meta.get("corrected") == ["notice_date"] or corrected.meta.get("flow") == "dismissal"
    assert format_date(received) in corrected.text
    assert corrected.meta["days_left"] != first.meta["days_left"]
    restart = await chat.say('/check_deadline{"choice": "restart"}')
    assert restart.meta["asking"] == "notice_date"  # "Start again" forgets the flow's answers


async def test_invalid_and_future_dates_get_a_friendly_reask(conversation):
    chat = Chat(conversation, lang_hint="en")
    await chat.say("/check_deadline")
    bad = await chat.say("abc")
    assert t("invalid_date", "en") in bad.text and bad.meta["asking"] == "notice_date"
    future = await chat.say("tomorrow")
    assert t("invalid_date_future", "en") in future.text
    assert "/request_human" in future.payloads  # second failed answer: a person is offered
    ok = await chat.say("last Monday")
    assert ok.meta["asking"] == "notice_form"


async def test_close_deadline_is_urgent_and_offers_a_counsellor_at_once(conversation):
    chat = Chat(conversation, lang_hint="de")
    await chat.say("/check_deadline")
    await chat.say("vor 16 Tagen")
    await chat.say('/inform{"choice": "paper"}')
    result = await finish(chat, await chat.say("3 Jahre"))
    assert result.meta["urgent"] is True and result.meta["handoff"] is True
    assert 0 <= result.meta["days_left"] <= 7
    assert t("urgent_note", "de") in result.text and "Faire Integration" in result.text


async def test_passed_deadline_is_urgent(conversation):
    chat = Chat(conversation, lang_hint="en")
    await chat.say("/check_deadline")
    await chat.say("5 weeks ago")
    await chat.say('/inform{"choice": "electronic"}')
    result = await finish(chat, await chat.say('/inform{"choice": "36"}'))
    assert result.meta["days_left"] < 0 and result.meta["urgent"] is True
    assert "§ 5 KSchG" in result.text and "§ 623 BGB" in result.text


async def test_leaving_with_stop_and_coming_back(conversation):
    chat = Chat(conversation, lang_hint="tr")
    await chat.say("/check_deadline")
    await chat.say("dün")
    paused = await chat.say("dur")
    assert t("flow_paused", "tr") in paused.text and "/check_deadline" in paused.payloads
    assert paused.meta["paused"] is True
    back = await chat.say("/check_deadline")
    assert t("flow_resume", "tr") in back.text
    assert back.meta["asking"] == "notice_form"  # the date is kept, not asked twice


async def test_another_question_inside_a_flow_is_answered_and_the_flow_continues(conversation):
    chat = Chat(conversation, lang_hint="en")
    await chat.say("/check_deadline")
    digression = await chat.say("What is the minimum wage in Germany?")
    assert digression.meta["kb_id"] == "wages-minimum-wage"
    assert t("ask_notice_date", "en") in digression.text  # ... and the flow asks its question again
    answer = await chat.say("yesterday")
    assert answer.meta["asking"] == "notice_form"


async def test_wage_check_with_negative_hours(conversation):
    chat = Chat(conversation, lang_hint="de")
    start = await chat.say("/check_wage")
    assert t("ask_pay_amount", "de") in start.text
    hours_q = await chat.say("12 € pro Stunde")
    assert hours_q.meta["asking"] == "hours_per_week"
    negative = await chat.say("-5")
    assert first_line("invalid_hours", "de", max=80) in negative.text
    basis = await chat.say("40")
    assert basis.meta["asking"] == "pay_basis"  # below the minimum: brutto or netto matters
    result = await chat.say("brutto")
    assert result.meta["below_minimum"] is True and result.meta["handoff"] is True
    assert "13,90" in result.text and "Mindestlohn" in result.text  # German number format
    assert "14,60" in result.text  # the next figure, valid from 2027


async def test_wage_check_prefilled_from_the_question_before_the_button(conversation):
    chat = Chat(conversation, lang_hint="en")
    answer = await chat.say("Is 9 euros per hour legal in Germany?")
    assert "/check_wage" in answer.payloads
    started = await chat.say("/check_wage")
    assert started.meta["asking"] == "hours_per_week"  # 9 € per hour already known


async def test_missing_wages_with_rent_at_risk_is_urgent(conversation):
    chat = Chat(conversation, lang_hint="en")
    start = await chat.say("/check_unpaid")
    assert start.meta["asking"] == "unpaid_months"
    livelihood = await chat.say("2 months")
    assert livelihood.meta["asking"] == "livelihood"
    result = await chat.say("No, I cannot pay rent anymore")
    assert result.meta["urgent"] is True and result.meta["handoff"] is True
    assert "Jobcenter" in result.text


async def test_recognition_finder_in_germany(conversation):
    chat = Chat(conversation, lang_hint="de")
    await chat.say("/check_recognition")
    country = await chat.say("Krankenschwester")
    assert country.meta["asking"] == "country"
    abroad = await chat.say("Philippinen")
    assert abroad.meta["asking"] == "abroad"
    result = await chat.say("Nein, ich wohne in München")
    assert result.meta["flow"] == "recognition" and result.meta["regulated"] is True
    assert "reglementiert" in result.text and "https://www.anerkennung-in-deutschland.de" in result.text
    assert "IQ" in result.text and "Bayern" in result.text


async def test_recognition_finder_from_abroad_routes_to_zsba(conversation):
    chat = Chat(conversation, lang_hint="en")
    await chat.say("/check_recognition")
    await chat.say("electrician")
    await chat.say("Syria")
    await chat.say('/inform{"choice": "yes"}')
    result = await chat.say('/inform{"choice": "unknown"}')
    assert result.meta["regulated"] is False and "ZSBA" in result.text


async def test_residence_check_never_decides_the_case(conversation):
    chat = Chat(conversation, lang_hint="en")
    start = await chat.say("/check_residence")
    assert any('"blue_card"' in p for p in start.payloads)
    question = await chat.say('/inform{"choice": "blue_card"}')
    assert question.meta["asking"] == "residence_question"
    result = await chat.say("What happens if I lose my job?")
    assert result.meta["kb_id"] == "residence-job-loss" and result.meta["handoff"] is True
    assert t("res_res_never_decide", "en") in result.text


async def test_group_chats_get_no_flow(conversation):
    chat = Chat(conversation, chat_type="group")
    outcome = await chat.say("Мене звільнили вчора")
    assert outcome.meta["topic"] == "dismissal" and "asking" not in outcome.meta


async def test_language_stays_through_a_flow(conversation):
    chat = Chat(conversation)
    first = await chat.say("Мене звільнили вчора")
    assert first.lang == "uk"
    second = await chat.say("ok")
    assert second.lang == "uk" and t("invalid_choice", "uk") in second.text
