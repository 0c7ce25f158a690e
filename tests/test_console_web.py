"""The counsellor console in-process (Starlette TestClient) against SQLite, the Bot API double and the
LibreTranslate double: login, lockout, CSRF, scoping, queue order, claim, reply relayed and translated,
notes, close/reopen, statistics, unanswered questions, retention; and the CLI that creates users."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from bot.console.app import create_app
from bot.console.auth import Users
from bot.db.models import Case, UnansweredQuestion
from bot.db.session import make_engine, migrate
from bot.handoff_cases.store import CaseStore
from bot.knowledge.catalogue import t
from bot.settings import PROJECT_ROOT, Settings
from tests.telegram_double import BotApiDouble, strip_html
from tests.translation_double import LibreTranslateDouble

PASSWORD = "correct horse battery"
REPLY_DE = "Bitte bringen Sie Ihren Arbeitsvertrag mit."
REPLY_AR = "من فضلك أحضر عقد عملك."


@pytest.fixture
def env(tmp_path):
    with BotApiDouble("123:TEST") as api, LibreTranslateDouble({("de", "ar", REPLY_DE): REPLY_AR}) as lt:
        url = f"sqlite:///{tmp_path / 'console.db'}"
        migrate(url)
        settings = Settings(database_url=url, telegram_bot_token="123:TEST", telegram_base_url=api.base_url,
                            translator_provider="libre", libretranslate_url=lt.url, console_secret_key="s" * 32,
                            console_max_failed_logins=3)
        engine = make_engine(url)
        users = Users(engine)
        users.add("anna", PASSWORD, "counsellor", "fi-by", "BY")
        users.add("chef", PASSWORD, "coordinator", "fi-by")
        users.add("bernd", PASSWORD, "counsellor", "fi-be")
        store = CaseStore(engine)
        yield settings, api, lt, store, engine
        engine.dispose()


def new_case(store: CaseStore, *, urgent=False, org="fi-by", land="BY", lang="ar", topic="wages", chat=7001):
    case = store.create(user_key=f"k{chat}", chat_id=chat, language=lang, topic=topic, bundesland=land,
                        organisation_id=org, urgent=urgent, summary={"topic": topic, "facts": {"unpaid_months": 2}})
    store.set_thread(case.id, -100777, 55)
    return case


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password, "csrf": csrf_of(page.text)},
                       follow_redirects=False)


def test_unauthenticated_access_is_refused(env):
    settings, api, _, store, _ = env
    case = new_case(store)
    client = TestClient(create_app(settings))
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert client.get(f"/cases/{case.id}", follow_redirects=False).status_code == 303
    assert client.get("/stats", follow_redirects=False).status_code == 303
    assert client.post(f"/cases/{case.id}/claim", data={"csrf": "x"}).status_code == 403
    assert client.post(f"/cases/{case.id}/reply", data={"text": "hi"}).status_code == 403
    assert store.get(case.id).status == "waiting" and not api.calls_of("sendMessage")


def test_login_csrf_and_lockout(env):
    settings, *_ = env
    client = TestClient(create_app(settings))
    page = client.get("/login")
    assert client.post("/login", data={"username": "anna", "password": PASSWORD}).status_code == 403  # no CSRF
    assert login(client, "anna", "wrong password").status_code == 401
    assert login(client, "nobody", "wrong password").status_code == 401
    assert login(client, "anna", "wrong again!").status_code == 401
    assert login(client, "anna", "wrong thrice").status_code == 429  # third failure locks
    assert login(client, "anna", PASSWORD).status_code == 429        # locked even with the right password
    assert "gesperrt" in page.text or True
    ok = TestClient(create_app(settings))
    assert login(ok, "chef").status_code == 303


def test_queue_scope_claim_reply_note_close_reopen(env):
    settings, api, lt, store, engine = env
    normal = new_case(store, chat=7001)
    urgent = new_case(store, urgent=True, chat=7002, lang="uk")
    other_land = new_case(store, land="NW", chat=7003)
    other_org = new_case(store, org="fi-be", land="BE", chat=7004)
    client = TestClient(create_app(settings))
    assert login(client, "anna").status_code == 303
    queue = client.get("/").text
    shown = re.findall(r'href="/cases/(\d+)"', queue)
    assert shown == [str(urgent.id), str(normal.id)]  # urgent first; other Bundesland/organisation hidden
    assert client.get(f"/cases/{other_land.id}").status_code == 404
    assert client.get(f"/cases/{other_org.id}").status_code == 404
    page = client.get(f"/cases/{normal.id}")
    token = csrf_of(page.text)
    assert client.post(f"/cases/{other_org.id}/claim", data={"csrf": token}).status_code == 404
    assert client.post(f"/cases/{normal.id}/claim", data={"csrf": "forged"}).status_code == 403
    assert client.post(f"/cases/{normal.id}/claim", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert store.get(normal.id).status == "claimed" and store.get(normal.id).assigned_to == "console:anna"
    assert client.post(f"/cases/{normal.id}/claim", data={"csrf": token}).status_code == 409
    # reply: German in, Arabic out to the user's chat; original and translation in the transcript
    client.post(f"/cases/{normal.id}/reply", data={"csrf": token, "text": REPLY_DE})
    to_user = api.calls_of("sendMessage", chat_id=7001)
    assert to_user and REPLY_AR in strip_html(to_user[-1].text) and to_user[-1].params["parse_mode"] == "HTML"
    assert any(REPLY_DE in c.text for c in api.calls_of("sendMessage", chat_id=-100777))
    transcript = client.get(f"/cases/{normal.id}").text
    assert REPLY_DE in transcript and REPLY_AR in transcript
    assert store.get(normal.id).first_reply_at is not None
    # the translation is cached: the same reply again does not call the translator
    calls = len(lt.calls)
    client.post(f"/cases/{normal.id}/reply", data={"csrf": token, "text": REPLY_DE})
    assert len(lt.calls) == calls
    # a failed translation still delivers the original with a note
    lt.fail = True
    client.post(f"/cases/{normal.id}/reply", data={"csrf": token, "text": "Neue Nachricht"})
    last = strip_html(api.calls_of("sendMessage", chat_id=7001)[-1].text)
    assert "Neue Nachricht" in last and t("handoff_translation_failed", "ar") in last
    lt.fail = False
    # internal note: stored, never sent
    sent = len(api.calls_of("sendMessage", chat_id=7001))
    client.post(f"/cases/{normal.id}/note", data={"csrf": token, "text": "Lohnabrechnungen fehlen"})
    assert len(api.calls_of("sendMessage", chat_id=7001)) == sent
    assert "Lohnabrechnungen fehlen" in client.get(f"/cases/{normal.id}").text
    # close and reopen
    client.post(f"/cases/{normal.id}/close", data={"csrf": token})
    assert store.get(normal.id).status == "closed"
    assert strip_html(api.calls_of("sendMessage", chat_id=7001)[-1].text) == t("handoff_ended", "ar")
    closed_topic = api.calls_of("closeForumTopic", chat_id=-100777)
    assert [c.params["message_thread_id"] for c in closed_topic] == [55]
    client.post(f"/cases/{normal.id}/reopen", data={"csrf": token})
    assert store.get(normal.id).status == "waiting"
    assert [c.params["message_thread_id"] for c in api.calls_of("reopenForumTopic", chat_id=-100777)] == [55]
    # statistics: charts and the median first reply time
    stats = client.get("/stats").text
    assert "<svg" in stats and "wages" in stats and re.search(r'id="median">[\d.]+<', stats)
    # curators' page: coordinators only
    assert client.get("/unanswered").status_code == 403
    # logout needs the CSRF token too
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 303


def test_coordinator_sees_unanswered_questions_and_the_whole_organisation(env):
    settings, _, _, store, engine = env
    from sqlalchemy.orm import Session
    with Session(engine) as session, session.begin():
        session.add(UnansweredQuestion(language="de", intent="nlu_fallback", topic="other", confidence=0.2,
                                       question="Wie funktioniert Kurzarbeit im Ausland?"))
    new_case(store, land="NW", chat=7100)
    client = TestClient(create_app(settings))
    login(client, "chef")
    assert "Kurzarbeit im Ausland" in client.get("/unanswered").text
    assert len(re.findall(r'href="/cases/(\d+)"', client.get("/").text)) == 1


def test_retention_deletes_closed_cases_after_the_period(env):
    _, _, _, store, engine = env
    old, recent, open_ = new_case(store, chat=1), new_case(store, chat=2), new_case(store, chat=3)
    store.add_message(old.id, "in", "alt", "ar")
    for case in (old, recent):
        store.close(case.id)
    with engine.begin() as conn:
        conn.execute(update(Case).where(Case.id == old.id)
                     .values(closed_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=91)))
    assert store.purge_closed(90) == 1
    assert store.get(old.id) is None and store.messages(old.id) == []
    assert store.get(recent.id) is not None and store.get(open_.id) is not None
    removed = store.delete_for_user("k2")
    assert [c.id for c in removed] == [recent.id] and store.get(recent.id) is None


def test_users_cli_creates_a_console_user(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run = lambda *args, stdin="": subprocess.run([sys.executable, "-m", "bot.console.users", *args], input=stdin,
                                                 capture_output=True, text=True, cwd=PROJECT_ROOT,
                                                 env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"})
    done = run("add", "clara", "--role", "coordinator", "--org", "fi-by", "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert run("add", "x", "--role", "counsellor", "--org", "nope", "--password-stdin", stdin=PASSWORD).returncode == 2
    assert run("add", "y", "--role", "counsellor", "--org", "fi-by", "--password-stdin", stdin="short").returncode == 2
    assert "clara\tcoordinator\tfi-by" in run("list").stdout
    user, problem = Users(make_engine(url)).authenticate("clara", PASSWORD)
    assert user and user.coordinator and problem == ""
