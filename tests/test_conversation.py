"""Answers through the real stack: Conversation -> Rasa REST channel -> action server -> knowledge/."""
import re
import uuid

import pytest

from bot.conversation import MAX_MESSAGE_CHARS, Conversation, Incoming
from bot.rasa_client import RasaClient

pytestmark = pytest.mark.stack

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture
async def conversation(stack, detector):
    rasa = RasaClient(stack.rasa_url, timeout=60)
    yield Conversation(rasa, detector)
    await rasa.aclose()


def incoming(text, **kw):
    return Incoming(text=text, user_key=f"test-{uuid.uuid4().hex}", **kw)


def answer_text(outcome):
    return "\n".join(m.text for m in outcome.messages)


async def test_ukrainian_dismissal_gets_dated_sourced_answer_in_ukrainian(conversation):
    outcome = await conversation.handle(incoming("Мене звільнили вчора, що робити?"))
    text = answer_text(outcome)
    assert outcome.lang == "uk" and outcome.meta["topic"] == "dismissal"
    assert outcome.meta["kb_id"].startswith("dismissal-")
    assert CYRILLIC.search(text) and "https://" in text and "21.11.2026" in text
    assert outcome.meta["handoff"] and outcome.meta["urgent"]  # a 3-week deadline is running


async def test_arabic_minimum_wage_answer_has_the_current_figure(conversation):
    outcome = await conversation.handle(incoming("كم الحد الأدنى للأجور في ألمانيا بالساعة؟"))
    text = answer_text(outcome)
    assert outcome.lang == "ar" and outcome.meta["kb_id"] == "wages-minimum-wage"
    assert ARABIC.search(text) and "13" in text and "https://" in text


async def test_persian_recognition_question(conversation):
    outcome = await conversation.handle(incoming("مدرک پرستاری من در آلمان به رسمیت شناخته میشه؟ انرکنونگ"))
    assert outcome.lang == "fa" and outcome.meta["topic"] == "recognition"
    assert ARABIC.search(answer_text(outcome)) and outcome.meta["sources"]


async def test_german_answer_names_the_counselling_centre_for_the_bundesland(conversation):
    outcome = await conversation.handle(incoming("Mein Chef zahlt den Mindestlohn nicht, ich arbeite in Bayern"))
    text = answer_text(outcome)
    assert outcome.meta["topic"] == "wages"
    assert "Faire Integration Bayern" in text


async def test_answer_offers_detail_centre_and_person_buttons(conversation):
    outcome = await conversation.handle(incoming("What is the minimum wage in Germany?"))
    payloads = [p for m in outcome.messages for _, p in m.buttons]
    assert any(p.startswith("/more_detail") for p in payloads)
    assert any(p.startswith("/counselling_centre") for p in payloads)
    assert "/request_human" in payloads


async def test_more_detail_button_shows_legal_basis(conversation):
    key = f"test-{uuid.uuid4().hex}"
    await conversation.handle(Incoming("What is the minimum wage in Germany?", key))
    detail = await conversation.handle(Incoming('/more_detail{"kb_id": "wages-minimum-wage"}', key, current_lang="en"))
    assert "MiLoG" in answer_text(detail)


async def test_out_of_scope_near_miss_is_not_answered_as_labour_question(conversation):
    outcome = await conversation.handle(incoming("How do I do my tax return, the Steuererklärung?"))
    assert outcome.meta["topic"] == "other" and outcome.meta["kb_id"] is None


async def test_unsupported_language_without_translator_answers_in_german_and_english(conversation):
    outcome = await conversation.handle(incoming("Ciao, il mio capo non mi paga lo stipendio da due mesi, cosa posso fare?"))
    text = answer_text(outcome)
    assert outcome.lang == "it"
    assert "Entschuldigung" in text and "Sorry" in text


async def test_empty_message_gets_a_friendly_reply_in_the_users_language(conversation):
    outcome = await conversation.handle(incoming("   ", current_lang="tr"))
    assert outcome.error == "empty" and outcome.messages[0].text


async def test_very_long_message_is_cut_and_the_user_told(conversation):
    outcome = await conversation.handle(incoming("Mein Arbeitgeber zahlt keinen Lohn. " * 150))
    assert outcome.truncated and str(MAX_MESSAGE_CHARS) in outcome.messages[0].text


async def test_dead_rasa_server_gives_a_clear_reply(detector):
    rasa = RasaClient("http://127.0.0.1:9", timeout=2)
    outcome = await Conversation(rasa, detector).handle(incoming("Мене звільнили вчора"))
    await rasa.aclose()
    assert outcome.error == "service_unavailable" and CYRILLIC.search(outcome.messages[0].text)


async def test_language_is_remembered_within_the_conversation(conversation):
    key = f"test-{uuid.uuid4().hex}"
    first = await conversation.handle(Incoming("Мене звільнили вчора", key))
    second = await conversation.handle(Incoming("ok", key, current_lang=first.lang))
    assert second.lang == "uk"


ITALIAN = "Ciao, il mio capo non mi paga lo stipendio da due mesi, cosa posso fare?"


async def test_other_language_is_translated_by_the_configured_libretranslate(stack, detector):
    from bot.settings import Settings
    from bot.translation import Translator
    from tests.translation_double import LibreTranslateDouble

    table = {("it", "en", ITALIAN): "Hello, my boss has not paid my salary for two months, what can I do?"}
    with LibreTranslateDouble(table) as double:
        translator = Translator(Settings(translator_provider="libre", libretranslate_url=double.url))
        rasa = RasaClient(stack.rasa_url, timeout=60)
        outcome = await Conversation(rasa, detector, translator).handle(incoming(ITALIAN))
        await rasa.aclose()
    assert outcome.lang == "it" and outcome.machine_translated
    assert outcome.meta["topic"] == "wages"
    assert outcome.messages[0].text.startswith("[en->it]")  # translated back by the double
    assert "Machine-translated" in outcome.messages[0].text
    assert double.calls[0]["source"] == "it" and double.calls[0]["target"] == "en"


async def test_translation_failure_never_loses_the_answer(stack, detector):
    from bot.settings import Settings
    from bot.translation import Translator
    from tests.translation_double import LibreTranslateDouble

    with LibreTranslateDouble() as double:
        double.fail = True
        translator = Translator(Settings(translator_provider="libre", libretranslate_url=double.url))
        rasa = RasaClient(stack.rasa_url, timeout=60)
        outcome = await Conversation(rasa, detector, translator).handle(incoming(ITALIAN))
        await rasa.aclose()
    assert outcome.messages and not outcome.machine_translated  # German/English answer with apology
    assert "Sorry" in answer_text(outcome)
