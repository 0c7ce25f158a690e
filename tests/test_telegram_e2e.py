"""End to end: the real bot process, started as users start it (`python -m bot.run` with
TELEGRAM_BOT_TOKEN), pointed at the Bot API double with TELEGRAM_BASE_URL, talking to the real Rasa
server and action server of the session `stack`. Updates are injected into the double; assertions are
on the Bot API calls it recorded and on the databases."""
from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.db.models import UserProfile
from bot.db.session import make_engine
from bot.knowledge.catalogue import t
from bot.settings import PROJECT_ROOT
from bot.stack import free_port
from bot.telegram.rendering import to_html
from bot.telegram.user_keys import group_sender_id, user_key
from tests import telegram_double as tg
from tests.telegram_double import BotApiDouble, Call, strip_html

pytestmark = pytest.mark.stack

TOKEN = "123:TEST"
SECRET = "e2e-user-key-secret"
BOT_NAME = "WegweiserTestBot"
RETENTION_DAYS = 90
WEBHOOK_SECRET = "e2e-webhook-secret"
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ARABIC = re.compile(r"[\u0600-\u06ff]")
SENSITIVE: list[str] = []  # every question text we inject; none may show up in the bot's log


def said(text_: str) -> str:
    SENSITIVE.append(text_)
    return text_


def rendered_plain(markdown: str) -> str:
    """What a user reads of a message in the answers' Markdown subset."""
    return strip_html(to_html(markdown))


def key(user_id: int) -> str:
    return user_key(SECRET, user_id)


class BotProcess:
    """`python -m bot.run` as a user runs it, with START_SERVICES=false and the test's stack."""

    def __init__(self, double: BotApiDouble, database_url: str, tracker_url: str, rasa_url: str, log_path: Path,
                 webhook_port: int | None = None):
        self.double, self.database_url, self.tracker_url = double, database_url, tracker_url
        self.rasa_url, self.log_path, self.webhook_port = rasa_url, log_path, webhook_port
        self.proc: subprocess.Popen | None = None
        self._update_ids = itertools.count(1)

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}/telegram/hook"

    def send(self, update: dict) -> None:
        """Deliver an update the way the bot receives them: getUpdates (polling) or a webhook POST."""
        if not self.webhook_port:
            self.double.inject(update)
            return
        update = dict(update, update_id=next(self._update_ids))
        response = httpx.post(self.webhook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET})
        assert response.status_code == 200, response.status_code

    def start(self) -> "BotProcess":
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_URL", "RASA_"))}
        env.update({
            "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": self.double.base_url, "START_SERVICES": "false",
            "RASA_URL": self.rasa_url, "DATABASE_URL": self.database_url, "RASA_TRACKER_DB_URL": self.tracker_url,
            "USER_KEY_SECRET": SECRET, "DATA_RETENTION_DAYS": str(RETENTION_DAYS), "LOG_LEVEL": "INFO",
            "RASA_TIMEOUT_SECONDS": "60", "TRANSLATOR_PROVIDER": "none",
        })
        env.update(getattr(self, "extra_env", {}))  # e.g. the handoff tests' staff groups and translator
        if self.webhook_port:
            env.update({"TELEGRAM_WEBHOOK_URL": self.webhook_url, "TELEGRAM_WEBHOOK_PORT": str(self.webhook_port),
                        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET})
        python = PROJECT_ROOT / ".venv" / "bin" / "python"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([str(python if python.exists() else sys.executable), "-m", "bot.run"],
                                     cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        return self

    def expect(self, method: str, predicate=None, *, since: int = 0, chat_id=None, ok: bool | None = True,
               timeout: float = 120.0, count: int = 1) -> list[Call]:
        """Wait for Bot API calls, failing fast (with the log) if the bot process died."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self.double.wait_for(method, predicate, since=since, chat_id=chat_id, ok=ok,
                                            timeout=min(2.0, max(deadline - time.monotonic(), 0.01)), count=count)
            except AssertionError:
                if self.proc.poll() is not None:
                    raise AssertionError(f"bot exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
                if time.monotonic() >= deadline:
                    raise

    def wait_ready(self) -> None:
        self.expect("setMyCommands", count=12, timeout=180)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def profile(database_url: str, user_id: int) -> UserProfile | None:
    engine = make_engine(database_url)
    try:
        from sqlalchemy.orm import Session
        with Session(engine) as session:
            row = session.get(UserProfile, key(user_id))
            if row is not None:
                session.expunge(row)
            return row
    finally:
        engine.dispose()


def tracker_events(tracker_url: str, sender: str) -> int:
    engine = make_engine(tracker_url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    finally:
        engine.dispose()


def eventually(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def answer_with_source(bot: BotProcess, chat_id: int, since: int) -> Call:
    return bot.expect("sendMessage", lambda c: "https://" in c.text, since=since, chat_id=chat_id)[0]


def texts_to(double: BotApiDouble, chat_id: int, since: int = 0) -> list[str]:
    return [strip_html(c.text) for c in double.calls_of("sendMessage", since=since, chat_id=chat_id)]


# --- fixtures ---------------------------------------------------------------------------------------
EARLY_USER = 6000


@pytest.fixture(scope="module")
def double():
    with BotApiDouble(TOKEN, BOT_NAME) as api:
        yield api


@pytest.fixture(scope="module")
def bot(stack, stack_settings, double, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("telegram")
    # Sent while the bot is not running (e.g. restarting): Telegram keeps it; it must be answered later.
    double.inject(tg.private_text(EARLY_USER, said("Wie hoch ist der Mindestlohn in Deutschland?"), "de"))
    process = BotProcess(double, f"sqlite:///{tmp / 'bot.db'}", stack_settings.rasa_tracker_db_url,
                         stack.rasa_url, tmp / "bot.log").start()
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


# --- start-up -----------------------------------------------------------------------------------------
def test_startup_sets_commands_in_every_language_and_polls(bot, double):
    commands = double.calls_of("setMyCommands")
    languages = {c.params.get("language_code") for c in commands}
    assert {None, "de", "en", "ar", "fa", "uk", "ru", "tr", "ro", "bg", "pl", "fr"} <= languages
    names = [c["command"] for c in commands[0].params["commands"]]
    assert names == ["start", "help", "language", "privacy", "delete_my_data", "counsellor"]
    uk = next(c for c in commands if c.params.get("language_code") == "uk")
    assert uk.params["commands"][1]["description"] == t("cmd_help", "uk")
    assert double.calls_of("getMe")
    bot.expect("deleteWebhook")  # polling mode: no webhook ...
    bot.expect("getUpdates")     # ... but long polling


def test_question_sent_while_the_bot_was_down_is_answered(bot, double):
    answer = answer_with_source(bot, EARLY_USER, 0)
    assert t("label_source", "de") in answer.text


# --- private chats ----------------------------------------------------------------------------------
@pytest.mark.parametrize("user_id,lang,question,script", [
    (6101, "uk", "Мене звільнили вчора, що робити?", CYRILLIC),
    (6102, "ar", "كم الحد الأدنى للأجور في ألمانيا بالساعة؟", ARABIC),
    (6103, "de", "Wie hoch ist der Mindestlohn in Deutschland?", None),
])
def test_private_question_is_answered_in_its_language_with_a_source(bot, double, user_id, lang, question, script):
    since = double.mark()
    double.inject(tg.private_text(user_id, said(question), lang))
    answer = answer_with_source(bot, user_id, since)
    plain = strip_html(answer.text)
    assert answer.params["parse_mode"] == "HTML"
    assert t("label_source", lang) in plain and re.search(r"https://\S+", plain)
    if script:
        assert script.search(plain)
    # first contact: the privacy notice comes first, in the user's language
    first = double.calls_of("sendMessage", since=since, chat_id=user_id)[0]
    assert strip_html(first.text) == rendered_plain(t("privacy_notice", lang, days=RETENTION_DAYS))
    # a typing indicator while Rasa worked
    assert any(c.params.get("action") == "typing" for c in double.calls_of("sendChatAction", since=since,
                                                                             chat_id=user_id))
    # Rasa's buttons became an inline keyboard with compact callback data
    datas = [b["callback_data"] for c in double.calls_of("sendMessage", since=since, chat_id=user_id)
             for b in c.buttons if "callback_data" in b]
    assert datas and all(len(d.encode()) <= 64 for d in datas)
    assert any(d.startswith("m:") for d in datas)
    assert eventually(lambda: (p := profile(bot.database_url, user_id)) is not None and p.language == lang)


def test_detail_button_goes_back_to_rasa(bot, double):
    user_id = 6103  # answered above in German
    button = next(b for c in double.calls_of("sendMessage", chat_id=user_id) for b in c.buttons
                  if b.get("callback_data", "").startswith("m:"))
    since = double.mark()
    double.inject(tg.callback(user_id, button["callback_data"], tg.private_chat(user_id), lang="de"))
    bot.expect("answerCallbackQuery", since=since)
    detail = answer_with_source(bot, user_id, since)
    assert t("label_source", "de") in strip_html(detail.text)


def test_deep_link_opens_a_topic_in_a_language(bot, double):
    user_id = 6200
    since = double.mark()
    double.inject(tg.private_text(user_id, "/start residence_uk", "en"))
    answer = answer_with_source(bot, user_id, since)
    assert CYRILLIC.search(strip_html(answer.text))
    notice = double.calls_of("sendMessage", since=since, chat_id=user_id)[0]
    assert t("choose_language", "uk") in strip_html(notice.text)
    assert any(b["text"] == "✓ " + t("language_name", "uk") for b in notice.buttons)
    stored = profile(bot.database_url, user_id)
    assert stored.language == "uk" and stored.language_confirmed


def test_language_choice_preselected_from_language_code(bot, double):
    user_id = 6300
    since = double.mark()
    double.inject(tg.private_text(user_id, "/start", "fr"))
    notice = bot.expect("sendMessage", since=since, chat_id=user_id)[0]
    assert strip_html(notice.text).startswith(rendered_plain(t("privacy_notice", "fr", days=RETENTION_DAYS)))
    assert any(b["text"] == "✓ Français" and b["callback_data"] == "L:fr" for b in notice.buttons)
    since = double.mark()
    double.inject(tg.callback(user_id, "L:uk", tg.private_chat(user_id), message_id=77, lang="fr"))
    edit = bot.expect("editMessageText", since=since, chat_id=user_id)[0]
    assert strip_html(edit.text) == t("language_changed", "uk") and edit.params["message_id"] == 77
    greet = bot.expect("sendMessage", since=since, chat_id=user_id)[0]
    assert strip_html(greet.text) == t("greet", "uk")
    stored = profile(bot.database_url, user_id)
    assert stored.language == "uk" and stored.language_confirmed and stored.privacy_accepted_at is not None


def test_bundesland_named_in_a_private_question_is_kept_in_the_profile(bot, double):
    user_id = 6420
    since = double.mark()
    double.inject(tg.private_text(user_id, said("Ich arbeite in Bayern und bekomme weniger als den Mindestlohn"),
                                  "de"))
    answer_with_source(bot, user_id, since)
    assert eventually(lambda: (p := profile(bot.database_url, user_id)) is not None and p.bundesland == "BY")


def test_html_in_user_text_is_escaped(bot, double):
    user_id = 6400
    since = double.mark()
    double.inject(tg.private_text(user_id, said("<b>Mindestlohn</b> & <script>alert(1)</script> wie hoch?"), "de"))
    answer_with_source(bot, user_id, since)
    assert not double.calls_of("sendMessage", since=since, ok=False)  # the double parses HTML like Telegram


def test_very_long_message_is_read_up_to_the_limit(bot, double):
    user_id = 6450
    since = double.mark()
    double.inject(tg.private_text(user_id, said("Mindestlohn Frage " * 400), "de"))
    calls = bot.expect("sendMessage", lambda c: "2000" in c.text, since=since, chat_id=user_id)
    assert calls


def test_rate_limit_429_is_retried(bot, double):
    user_id = 6500
    double.fail_next("sendMessage", 429, retry_after=1, chat_id=user_id)
    since = double.mark()
    double.inject(tg.private_text(user_id, "/help", "pl"))
    delivered = bot.expect("sendMessage", since=since, chat_id=user_id)
    refused = double.calls_of("sendMessage", since=since, chat_id=user_id, ok=False)
    assert [c.status for c in refused] == [429]
    assert refused[0].seq < delivered[0].seq and delivered[0].at - refused[0].at >= 1.0
    assert strip_html(delivered[0].text) == rendered_plain(t("help_text", "pl"))
    time.sleep(1.5)
    assert len(double.calls_of("sendMessage", since=since, chat_id=user_id)) == 1  # no duplicate


def test_user_who_blocked_the_bot_is_marked_and_not_retried(bot, double):
    user_id = 6600
    double.forbid_chat(user_id)
    since = double.mark()
    double.inject(tg.private_text(user_id, said("Was ist der Mindestlohn?"), "de"))
    bot.expect("sendMessage", since=since, chat_id=user_id, ok=False)
    assert eventually(lambda: (p := profile(bot.database_url, user_id)) is not None and p.blocked_bot)
    time.sleep(2)
    assert len(double.calls_of("sendMessage", since=since, chat_id=user_id, ok=None)) == 1


@pytest.mark.parametrize("content,expected_key", [
    ({"sticker": {"file_id": "s1", "file_unique_id": "us1", "type": "regular", "width": 512, "height": 512,
                  "is_animated": False, "is_video": False}}, "error_no_text"),
    ({"voice": {"file_id": "v1", "file_unique_id": "uv1", "duration": 4}}, "error_voice"),
    ({"photo": [{"file_id": "p1", "file_unique_id": "up1", "width": 90, "height": 90}]}, "error_file"),
    ({"document": {"file_id": "d1", "file_unique_id": "ud1", "file_name": "vertrag.pdf"}}, "error_file"),
    ({"location": {"latitude": 52.52, "longitude": 13.40}}, "error_location"),
])
def test_non_text_input_gets_a_friendly_reply_in_the_users_language(bot, double, content, expected_key):
    user_id = 6700
    since = double.mark()
    double.inject(tg.private_content(user_id, "tr", **content))
    reply = bot.expect("sendMessage", since=since, chat_id=user_id)[0]
    assert strip_html(reply.text) == t(expected_key, "tr")
    if expected_key == "error_voice":
        assert [b["callback_data"] for b in reply.buttons] == ["h"]  # "talk to a person"


def test_edited_message_gets_a_note(bot, double):
    user_id = 6750
    since = double.mark()
    double.inject(tg.edited_text(user_id, said("Mindestlohn? (bearbeitet)"), "de"))
    reply = bot.expect("sendMessage", since=since, chat_id=user_id)[0]
    assert strip_html(reply.text) == t("edited_message", "de")


def test_delete_my_data_removes_profile_and_tracker(bot, double):
    user_id = 6800
    since = double.mark()
    double.inject(tg.private_text(user_id, said("Мене звільнили вчора, що робити?"), "uk"))
    answer_with_source(bot, user_id, since)
    assert profile(bot.database_url, user_id) is not None
    assert tracker_events(bot.tracker_url, key(user_id)) > 0
    _delete_flow(bot, double, user_id, "uk")
    assert profile(bot.database_url, user_id) is None
    assert tracker_events(bot.tracker_url, key(user_id)) == 0
    assert tracker_events(bot.tracker_url, key(6101)) > 0  # other users keep theirs


def _delete_flow(bot: BotProcess, double: BotApiDouble, user_id: int, lang: str) -> None:
    since = double.mark()
    bot.send(tg.private_text(user_id, "/delete_my_data", lang))
    # (the previous answer may still be arriving: look for the confirmation itself)
    confirm = bot.expect("sendMessage", lambda c: strip_html(c.text) == t("delete_confirm", lang), since=since,
                         chat_id=user_id)[0]
    assert [b["callback_data"] for b in confirm.buttons] == ["D:y", "D:n"]
    since = double.mark()
    bot.send(tg.callback(user_id, "D:y", tg.private_chat(user_id), message_id=42, lang=lang))
    bot.expect("answerCallbackQuery", since=since)
    done = bot.expect("editMessageText", since=since, chat_id=user_id)[0]
    assert strip_html(done.text) == t("delete_done", lang) and done.params["message_id"] == 42


# --- community groups ---------------------------------------------------------------------------------
GROUP = -1001000


def test_group_message_without_mention_gets_no_reply(bot, double):
    chat = -1001001
    since = double.mark()
    double.inject(tg.group_text(chat, 6900, said("Wie hoch ist der Mindestlohn?"), "de"))
    # a later update that is answered proves the first one was processed
    double.inject(tg.private_text(6901, "/help", "de"))
    bot.expect("sendMessage", since=since, chat_id=6901)
    time.sleep(1.5)
    assert not double.calls_of("sendMessage", since=since, chat_id=chat, ok=None)
    assert not double.calls_of("sendChatAction", since=since, chat_id=chat, ok=None)


def test_group_mention_gets_general_answer_and_continue_privately(bot, double):
    question = tg.group_text(GROUP, 6910, said(f"@{BOT_NAME} ich heiße Olena Petrenko, mein Chef zahlt mir "
                                                 "keinen Mindestlohn. Was kann ich tun?"), "de")
    since = double.mark()
    double.inject(question)
    answer = answer_with_source(bot, GROUP, since)
    calls = double.calls_of("sendMessage", since=since, chat_id=GROUP)
    assert calls[0].params["reply_parameters"]["message_id"] == question["message"]["message_id"]
    everything = "\n".join(strip_html(c.text) for c in calls)
    assert "Olena" not in everything and "Petrenko" not in everything  # personal details never echoed
    assert t("group_note", "de") in strip_html(calls[-1].text)
    urls = [b["url"] for c in calls for b in c.buttons if "url" in b]
    assert any(u.startswith(f"https://t.me/{BOT_NAME}?start=") and u.endswith("_de") for u in urls)
    datas = [b["callback_data"] for c in calls for b in c.buttons if "callback_data" in b]
    assert "h" not in datas and not any(d.startswith(("c:", "b:")) for d in datas)  # nothing personal
    assert answer.params["parse_mode"] == "HTML"
    assert profile(bot.database_url, 6910) is None  # nothing stored for group members
    assert tracker_events(bot.tracker_url, group_sender_id(key(6910))) > 0
    assert tracker_events(bot.tracker_url, key(6910)) == 0


def test_reply_to_the_bot_in_a_group_is_answered(bot, double):
    chat = -1001002
    bot_message = {"message_id": 5, "date": int(time.time()), "chat": tg.group_chat(chat),
                   "from": double.me, "text": "..."}
    since = double.mark()
    double.inject(tg.group_text(chat, 6920, said("Und wie viel ist das pro Stunde, der Mindestlohn?"), "de",
                                reply_to=bot_message))
    answer_with_source(bot, chat, since)


def test_personal_command_in_a_group_points_to_the_private_chat(bot, double):
    chat = -1001003
    since = double.mark()
    double.inject(tg.group_text(chat, 6930, f"/delete_my_data@{BOT_NAME}", "de"))
    reply = bot.expect("sendMessage", since=since, chat_id=chat)[0]
    assert strip_html(reply.text) == t("group_use_private", "de")
    assert reply.buttons[0]["url"] == f"https://t.me/{BOT_NAME}?start=de"


def test_welcome_when_added_to_a_group(bot, double):
    chat = -1001004
    since = double.mark()
    double.inject(tg.bot_added_to_group(chat, 6940, double.bot_id, "ar"))
    welcome = bot.expect("sendMessage", since=since, chat_id=chat)[0]
    assert strip_html(welcome.text) == t("group_welcome", "ar", bot=BOT_NAME)
    assert welcome.buttons[0]["url"] == f"https://t.me/{BOT_NAME}?start=ar"


# --- inline mode -------------------------------------------------------------------------------------
@pytest.mark.parametrize("query,lang,script", [("Mindestlohn", "de", None), ("мінімальна зарплата", "uk", CYRILLIC)])
def test_inline_query_returns_vetted_answers(bot, double, query, lang, script):
    since = double.mark()
    double.inject(tg.inline_query(6950, said(query), lang))
    call = bot.expect("answerInlineQuery", since=since)[0]
    results = call.params["results"]
    assert results and any(r["id"].startswith("wages-minimum-wage") for r in results)
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML" and "https://" in content["message_text"]
        assert t("label_source", lang) in strip_html(content["message_text"])
        assert result["reply_markup"]["inline_keyboard"][0][0]["url"].startswith(f"https://t.me/{BOT_NAME}?start=")
        if script:
            assert script.search(result["title"])
    assert call.params["is_personal"] is True
    assert call.params["button"]["start_parameter"] == lang


def test_empty_inline_query_offers_one_answer_per_topic(bot, double):
    since = double.mark()
    double.inject(tg.inline_query(6951, "", "fr"))
    results = bot.expect("answerInlineQuery", since=since)[0].params["results"]
    assert len(results) == 5 and all(r["id"].endswith(".fr") for r in results)


# --- at the end: nothing leaked, clean shutdown ----------------------------------------------------------
def test_zz_no_bad_requests_no_message_text_in_logs_and_clean_shutdown(bot, double):
    bad = [(c.method, c.params.get("chat_id")) for c in double.calls if c.status == 400]
    assert not bad, bad
    assert bot.stop() == 0
    log = bot.log_text()
    assert "Telegram bot stopped" in log
    assert "Traceback" not in log and " failed: " not in log  # no handler crashed
    for question in SENSITIVE:
        assert question not in log
        for word in ("Olena", "Petrenko", "<script>"):
            assert word not in log


# --- PostgreSQL and webhook mode (the production shape) ------------------------------------------------
@pytest.mark.postgres
def test_postgresql_profile_and_erasure_in_webhook_mode(stack, stack_settings, pg_url, tmp_path):
    with BotApiDouble(TOKEN, BOT_NAME) as api:
        process = BotProcess(api, pg_url, stack_settings.rasa_tracker_db_url, stack.rasa_url,
                             tmp_path / "bot-pg.log", webhook_port=free_port()).start()
        try:
            process.wait_ready()
            hook = process.expect("setWebhook")[0]
            assert hook.params["url"] == process.webhook_url and hook.params["secret_token"] == WEBHOOK_SECRET
            assert not api.calls_of("getUpdates", ok=None)
            eventually(lambda: _webhook_up(process), timeout=30)
            forged = httpx.post(process.webhook_url, json=tg.private_text(7199, "/help", "de") | {"update_id": 999},
                                headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status_code == 403

            user_id = 7100
            process.send(tg.private_text(user_id, said("Визнання диплома медсестри в Німеччині"), "uk"))
            answer = answer_with_source(process, user_id, 0)
            assert CYRILLIC.search(strip_html(answer.text))
            assert eventually(lambda: (p := profile(pg_url, user_id)) is not None and p.language == "uk")
            assert tracker_events(stack_settings.rasa_tracker_db_url, key(user_id)) > 0
            _delete_flow(process, api, user_id, "uk")
            assert profile(pg_url, user_id) is None
            assert tracker_events(stack_settings.rasa_tracker_db_url, key(user_id)) == 0
            assert not api.calls_of("sendMessage", chat_id=7199, ok=None)
        finally:
            assert process.stop() == 0


def _webhook_up(process: BotProcess) -> bool:
    try:
        httpx.get(f"http://127.0.0.1:{process.webhook_port}/", timeout=1)
        return True
    except httpx.HTTPError:
        return False
