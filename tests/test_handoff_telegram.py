"""End to end: human handoff in Telegram. The real bot process against the Bot API double (staff
supergroup with forum topics) and the LibreTranslate double, with the session's real Rasa stack:
an Arabic-speaking user in Bayern asks about unpaid wages -> consent -> case routed to Faire Integration
Bayern -> header card in a new forum topic -> the counsellor's German reply reaches the user in Arabic ->
close. Plus: strangers' buttons and messages are ignored, media is copied not stored, a failed translation
still delivers the original, /end, and /delete_my_data withdraws the case."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Case, CaseMessage
from bot.db.session import make_engine, migrate
from bot.knowledge.catalogue import t
from tests import telegram_double as tg
from tests.telegram_double import BotApiDouble, strip_html
from tests.test_telegram_e2e import BOT_NAME, TOKEN, BotProcess, eventually, key
from tests.translation_double import LibreTranslateDouble

pytestmark = pytest.mark.stack

STAFF_CHAT = -100777
COUNSELLOR = 9001
STRANGER = 9002
ORG = "fi-by"
USER_AR = 7001
QUESTION_AR = "صاحب العمل لم يدفع لي أجري منذ شهرين"
FOLLOW_UP_AR = "أعمل في مطعم في ميونخ"
FOLLOW_UP_DE = "Ich arbeite in einem Restaurant in München"
REPLY_DE = "Guten Tag, bitte schicken Sie uns Ihre Lohnabrechnungen."
REPLY_AR = "مرحبًا، من فضلك أرسل لنا كشوف رواتبك."


@pytest.fixture(scope="module")
def translator():
    with LibreTranslateDouble({("ar", "de", FOLLOW_UP_AR): FOLLOW_UP_DE, ("de", "ar", REPLY_DE): REPLY_AR}) as double:
        yield double


@pytest.fixture(scope="module")
def double():
    with BotApiDouble(TOKEN, BOT_NAME) as api:
        yield api


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('handoff') / 'bot.db'}"
    migrate(url)
    return url


@pytest.fixture(scope="module")
def bot(stack, stack_settings, double, translator, db_url, tmp_path_factory):
    process = BotProcess(double, db_url, stack_settings.rasa_tracker_db_url, stack.rasa_url,
                         tmp_path_factory.mktemp("handoff-log") / "bot.log")
    process.extra_env = {
        "STAFF_GROUPS": json.dumps({ORG: STAFF_CHAT}), "STAFF_COUNSELLORS": json.dumps({ORG: [COUNSELLOR]}),
        "TRANSLATOR_PROVIDER": "libre", "LIBRETRANSLATE_URL": translator.url,
        "OFFICE_DAYS": "0,1,2,3,4,5,6", "OFFICE_OPEN": "00:00", "OFFICE_CLOSE": "24:00",
    }
    process.start()
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


def cases(db_url: str, user_id: int) -> list[Case]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            rows = list(session.scalars(select(Case).where(Case.user_key == key(user_id)).order_by(Case.id)))
            for row in rows:
                session.expunge(row)
            return rows
    finally:
        engine.dispose()


def messages(db_url: str, case_id: int) -> list[CaseMessage]:
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            rows = list(session.scalars(select(CaseMessage).where(CaseMessage.case_id == case_id)))
            for row in rows:
                session.expunge(row)
            return rows
    finally:
        engine.dispose()


def press(bot: BotProcess, user_id: int, data: str, chat: dict, lang: str = "ar") -> None:
    bot.send(tg.callback(user_id, data, chat, lang=lang))


def open_case(bot: BotProcess, double: BotApiDouble, db_url: str, user_id: int, lang: str) -> tuple[Case, int]:
    """Bundesland BY -> /counsellor -> consent -> yes; returns the case and its forum topic's thread id."""
    since = double.mark()
    press(bot, user_id, "b:BY", tg.private_chat(user_id), lang)
    bot.expect("sendMessage", since=since, chat_id=user_id)
    since = double.mark()
    bot.send(tg.private_text(user_id, "/counsellor", lang))
    consent = bot.expect("sendMessage", lambda c: any(b.get("callback_data") == "H:y" for b in c.buttons),
                         since=since, chat_id=user_id)[0]
    since = double.mark()
    press(bot, user_id, "H:y", tg.private_chat(user_id), lang)
    topic = bot.expect("createForumTopic", since=since, chat_id=STAFF_CHAT)[0]
    header = bot.expect("sendMessage", lambda c: c.params.get("message_thread_id") is not None,
                        since=since, chat_id=STAFF_CHAT)[0]
    bot.expect("sendMessage", since=since, chat_id=user_id)
    case = eventually(lambda: (cases(db_url, user_id) or [None])[-1])
    assert consent and topic and header
    return case, header.params["message_thread_id"]


def test_arabic_unpaid_wages_in_bayern_relayed_both_ways_and_closed(bot, double, translator, db_url):
    private = tg.private_chat(USER_AR)
    # The user says where they live (Bundesland button) and asks about unpaid wages, in Arabic.
    since = double.mark()
    press(bot, USER_AR, "b:BY", private)
    bot.expect("sendMessage", since=since, chat_id=USER_AR)
    since = double.mark()
    bot.send(tg.private_text(USER_AR, QUESTION_AR, "ar"))
    answer = bot.expect("sendMessage", since=since, chat_id=USER_AR)[0]
    assert answer.ok

    # "Talk to a person" (the payload /request_human) is intercepted: consent first, in Arabic.
    since = double.mark()
    press(bot, USER_AR, "h", private)
    consent = bot.expect("sendMessage", lambda c: any(b.get("callback_data") == "H:y" for b in c.buttons),
                         since=since, chat_id=USER_AR)[0]
    text = strip_html(consent.text)
    assert "Faire Integration Bayern" in text
    assert t("btn_consent_yes", "ar") in [b["text"] for b in consent.buttons]
    assert "24" in text and "00:00" in text  # office hours and expected reply time
    assert not double.calls_of("createForumTopic")  # nothing shared before consent

    # Agree: a case routed to Faire Integration Bayern, a forum topic with the header card.
    since = double.mark()
    press(bot, USER_AR, "H:y", private)
    topic = bot.expect("createForumTopic", since=since, chat_id=STAFF_CHAT)[0]
    header = bot.expect("sendMessage", lambda c: c.params.get("message_thread_id") is not None,
                        since=since, chat_id=STAFF_CHAT)[0]
    waiting = bot.expect("sendMessage", since=since, chat_id=USER_AR)[0]
    assert "Faire Integration Bayern" in strip_html(waiting.text)
    thread = header.params["message_thread_id"]
    assert "ar" in topic.params["name"] and "BY" in topic.params["name"]
    card = header.text
    for expected in ("Sprache: ar", "Bundesland: BY", "Faire Integration Bayern", "Dringlichkeit:", "Einwilligung:",
                     "Frist:"):
        assert expected in card, (expected, card)
    assert {b["callback_data"].split(":")[1] for b in header.buttons} == {"c", "x", "b", "t"}
    case = eventually(lambda: (cases(db_url, USER_AR) or [None])[-1])
    assert case.organisation_id == ORG and case.language == "ar" and case.bundesland == "BY"
    assert case.status == "waiting" and case.topic in ("wages", "labour_rights", "dismissal", "other")
    summary = json.loads(case.summary)
    assert summary["topic"] == case.topic and "facts" in summary

    # While the case is open, the user's messages go to the counsellor (original + German translation).
    since = double.mark()
    bot.send(tg.private_text(USER_AR, FOLLOW_UP_AR, "ar"))
    relayed = bot.expect("sendMessage", lambda c: c.params.get("message_thread_id") == thread, since=since,
                         chat_id=STAFF_CHAT)[0]
    assert FOLLOW_UP_AR in relayed.text and FOLLOW_UP_DE in relayed.text
    assert not [c for c in double.calls_of("sendMessage", since=since, chat_id=USER_AR) if "https://" in c.text]

    # A stranger in the staff group can neither claim nor reply.
    since = double.mark()
    press(bot, STRANGER, f"S:c:{case.id}", tg.staff_chat(STAFF_CHAT), "de")
    bot.send(tg.topic_text(STAFF_CHAT, thread, STRANGER, "Ich bin nicht registriert"))
    bot.expect("answerCallbackQuery", since=since)
    bot.expect("getUpdates", since=double.mark(), count=2)
    assert cases(db_url, USER_AR)[-1].status == "waiting"
    assert not double.calls_of("sendMessage", since=since, chat_id=USER_AR)
    assert not double.calls_of("sendMessage", since=since, chat_id=STAFF_CHAT)

    # The counsellor claims and answers in German; the user receives Arabic.
    since = double.mark()
    press(bot, COUNSELLOR, f"S:c:{case.id}", tg.staff_chat(STAFF_CHAT), "de")
    bot.expect("sendMessage", lambda c: "Übernommen" in c.text, since=since, chat_id=STAFF_CHAT)
    assert eventually(lambda: cases(db_url, USER_AR)[-1].status == "claimed")
    since = double.mark()
    bot.send(tg.topic_text(STAFF_CHAT, thread, COUNSELLOR, REPLY_DE))
    delivered = bot.expect("sendMessage", since=since, chat_id=USER_AR)[0]
    assert REPLY_AR in strip_html(delivered.text) and REPLY_DE not in delivered.text
    stored = messages(db_url, case.id)
    out = [m for m in stored if m.direction == "out"]
    assert out and out[-1].original == REPLY_DE and out[-1].translation == REPLY_AR
    inbound = [m for m in stored if m.direction == "in"]
    assert inbound[-1].original == FOLLOW_UP_AR and inbound[-1].translation == FOLLOW_UP_DE

    # A photo is copied to the topic, not stored.
    since = double.mark()
    bot.send(tg.private_content(USER_AR, "ar", photo=[{"file_id": "PHOTO1", "file_unique_id": "u1", "width": 10,
                                                       "height": 10}]))
    copied = bot.expect("copyMessage", since=since, chat_id=STAFF_CHAT)[0]
    assert copied.params["from_chat_id"] == USER_AR and copied.params["message_thread_id"] == thread

    # The counsellor closes; the bot answers again.
    since = double.mark()
    press(bot, COUNSELLOR, f"S:x:{case.id}", tg.staff_chat(STAFF_CHAT), "de")
    bot.expect("sendMessage", lambda c: strip_html(c.text) == t("handoff_ended", "ar"), since=since, chat_id=USER_AR)
    bot.expect("closeForumTopic", lambda c: c.params.get("message_thread_id") == thread, since=since,
               chat_id=STAFF_CHAT)
    assert eventually(lambda: cases(db_url, USER_AR)[-1].status == "closed")
    since = double.mark()
    bot.send(tg.private_text(USER_AR, QUESTION_AR, "ar"))
    bot.expect("sendMessage", since=since, chat_id=USER_AR)
    assert not double.calls_of("sendMessage", since=since, chat_id=STAFF_CHAT)


def test_decline_keeps_the_bot_and_shares_nothing(bot, double, db_url):
    user_id = 7010
    since = double.mark()
    bot.send(tg.private_text(user_id, "/counsellor", "fr"))
    bot.expect("sendMessage", lambda c: any(b.get("callback_data") == "H:n" for b in c.buttons), since=since,
               chat_id=user_id)
    since = double.mark()
    press(bot, user_id, "H:n", tg.private_chat(user_id), "fr")
    declined = bot.expect("sendMessage", since=since, chat_id=user_id)[0]
    assert strip_html(declined.text) == t("handoff_declined", "fr")
    assert cases(db_url, user_id) == []


def test_failed_translation_delivers_the_original_and_end_and_erasure_withdraw(bot, double, translator, db_url):
    user_id = 7020
    case, thread = open_case(bot, double, db_url, user_id, "uk")
    translator.fail = True
    try:
        since = double.mark()
        bot.send(tg.topic_text(STAFF_CHAT, thread, COUNSELLOR, "Bitte rufen Sie uns morgen an."))
        delivered = bot.expect("sendMessage", since=since, chat_id=user_id)[0]
        plain = strip_html(delivered.text)
        assert "Bitte rufen Sie uns morgen an." in plain and t("handoff_translation_failed", "uk") in plain
        since = double.mark()
        bot.send(tg.private_text(user_id, "Дякую, я зателефоную", "uk"))
        relayed = bot.expect("sendMessage", lambda c: c.params.get("message_thread_id") == thread, since=since,
                             chat_id=STAFF_CHAT)[0]
        assert "Дякую, я зателефоную" in relayed.text and "fehlgeschlagen" in relayed.text
    finally:
        translator.fail = False
    # /end closes; the staff topic is told.
    since = double.mark()
    bot.send(tg.private_text(user_id, "/end", "uk"))
    bot.expect("sendMessage", lambda c: strip_html(c.text) == t("handoff_ended", "uk"), since=since, chat_id=user_id)
    bot.expect("sendMessage", lambda c: "beendet" in c.text, since=since, chat_id=STAFF_CHAT)
    bot.expect("closeForumTopic", lambda c: c.params.get("message_thread_id") == thread, since=since,
               chat_id=STAFF_CHAT)
    assert cases(db_url, user_id)[-1].status == "closed"
    # A new case, then /delete_my_data: every case of the user is removed and the organisation told.
    case2, thread2 = open_case(bot, double, db_url, user_id, "uk")
    since = double.mark()
    bot.send(tg.private_text(user_id, "/delete_my_data", "uk"))
    bot.expect("sendMessage", lambda c: any(b.get("callback_data") == "D:y" for b in c.buttons), since=since,
               chat_id=user_id)
    press(bot, user_id, "D:y", tg.private_chat(user_id), "uk")
    bot.expect("sendMessage", lambda c: "zurückgezogen" in c.text and c.params.get("message_thread_id") == thread2,
               since=since, chat_id=STAFF_CHAT)
    bot.expect("closeForumTopic", lambda c: c.params.get("message_thread_id") == thread2, since=since,
               chat_id=STAFF_CHAT)
    assert eventually(lambda: cases(db_url, user_id) == [])
    assert messages(db_url, case.id) == [] and messages(db_url, case2.id) == []


def test_zz_no_message_text_in_the_log(bot):
    log = bot.log_text()
    for secret in (QUESTION_AR, FOLLOW_UP_AR, REPLY_DE, FOLLOW_UP_DE):
        assert secret not in log
    assert "Traceback" not in log, log[-3000:]
