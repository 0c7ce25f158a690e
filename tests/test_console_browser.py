"""End to end through the web console, driven by Playwright in Debian's Chromium: a user asks in Arabic
about unpaid wages in Bayern (real bot process, real Rasa stack, Bot API double) and consents; a
counsellor of Faire Integration Bayern logs into the console, sees the case in the queue, claims it,
replies in German; the user receives Arabic (LibreTranslate double); the counsellor closes the case.
Screenshots of the queue and the transcript are kept in test-artifacts/. Unauthenticated visits end on
the login page."""
from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from bot.console.app import create_app
from bot.console.auth import Users
from bot.db.session import make_engine
from bot.knowledge.catalogue import t
from bot.settings import PROJECT_ROOT, Settings
from bot.stack import free_port
from tests import telegram_double as tg
from tests.telegram_double import strip_html
from tests.test_handoff_telegram import (QUESTION_AR, bot, cases, db_url, double, press,  # noqa: F401 (fixtures)
                                         translator)
from tests.test_telegram_e2e import TOKEN, eventually

pytestmark = pytest.mark.stack

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
USER_ID = 7501
PASSWORD = "console-e2e-password"
REPLY_DE = "Wir prüfen Ihre Lohnansprüche. Bitte senden Sie uns Ihre Lohnabrechnungen."
REPLY_AR = "نحن نراجع مطالباتك بالأجر. من فضلك أرسل لنا كشوف رواتبك."

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed (make setup installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def console(db_url, double, translator):  # noqa: F811
    translator.table[("de", "ar", REPLY_DE)] = REPLY_AR
    settings = Settings(database_url=db_url, telegram_bot_token=TOKEN, telegram_base_url=double.base_url,
                        translator_provider="libre", libretranslate_url=translator.url,
                        console_secret_key="browser-test-secret-key-0123456789")
    Users(make_engine(db_url)).add("anna", PASSWORD, "counsellor", "fi-by", "BY")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_unauthenticated_visitor_only_sees_the_login(console, browser):
    page = browser.new_page()
    page.goto(f"{console}/cases/1")
    assert page.url.endswith("/login")
    page.goto(f"{console}/stats")
    assert page.url.endswith("/login")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    assert "falsch" in page.inner_text("main")
    page.close()


def test_case_handled_in_the_console_reaches_the_user_in_arabic(bot, double, db_url, console, browser):  # noqa: F811
    private = tg.private_chat(USER_ID)
    since = double.mark()
    press(bot, USER_ID, "b:BY", private)
    bot.expect("sendMessage", since=since, chat_id=USER_ID)
    since = double.mark()
    bot.send(tg.private_text(USER_ID, QUESTION_AR, "ar"))
    bot.expect("sendMessage", since=since, chat_id=USER_ID)
    since = double.mark()
    press(bot, USER_ID, "h", private)
    consent = bot.expect("sendMessage", lambda c: any(b.get("callback_data") == "H:y" for b in c.buttons),
                         since=since, chat_id=USER_ID)[0]
    assert "Faire Integration Bayern" in strip_html(consent.text)
    press(bot, USER_ID, "H:y", private)
    case = eventually(lambda: (cases(db_url, USER_ID) or [None])[-1])
    assert case and case.organisation_id == "fi-by"

    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone screen
    page.goto(f"{console}/login")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console}/")
    link = page.locator(f'a[href="/cases/{case.id}"]')
    assert link.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    page.screenshot(path=str(ARTIFACTS / "console-queue.png"), full_page=True)
    link.click()
    page.click("text=Übernehmen")
    assert "claimed" in page.inner_text("h1")
    since = double.mark()
    page.fill("textarea[name=text] >> nth=0", REPLY_DE)
    page.click("text=Senden")
    delivered = bot.expect("sendMessage", since=since, chat_id=USER_ID)[0]
    assert REPLY_AR in strip_html(delivered.text)
    transcript = page.inner_text("#transcript")
    assert REPLY_DE in transcript and REPLY_AR in transcript
    page.screenshot(path=str(ARTIFACTS / "console-transcript.png"), full_page=True)
    since = double.mark()
    page.click("text=Schließen")
    bot.expect("sendMessage", lambda c: strip_html(c.text) == t("handoff_ended", "ar"), since=since, chat_id=USER_ID)
    assert re.search(r"closed", page.inner_text("h1"))
    assert cases(db_url, USER_ID)[-1].status == "closed"
    page.close()
