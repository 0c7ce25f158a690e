"""Pieces of the handoff without a network: office hours, routing, the summary, callback codes, the
translation cache that never raises."""
from __future__ import annotations

import asyncio
import datetime as dt

from bot.db.session import make_engine, migrate
from bot.handoff_cases.relay import build_summary, in_office_hours, office_hours_text, route, translate_cached
from bot.handoff_cases.store import CaseStore
from bot.settings import Settings
from bot.telegram.callback_data import ButtonCodec
from bot.handoff_cases.relay import escape_md
from bot.telegram.handoff_flow import consent_keyboard, staff_keyboard
from bot.translation import Translator
from tests.translation_double import LibreTranslateDouble

BERLIN_SUMMER = dt.timezone(dt.timedelta(hours=2))


def test_office_hours_in_berlin_time():
    settings = Settings()  # Mo-Fr 09:00-17:00 Europe/Berlin
    monday_10 = dt.datetime(2026, 6, 1, 10, 0, tzinfo=BERLIN_SUMMER)
    assert in_office_hours(settings, monday_10)
    assert not in_office_hours(settings, monday_10.replace(hour=8, minute=59))
    assert not in_office_hours(settings, monday_10.replace(hour=17))
    assert not in_office_hours(settings, dt.datetime(2026, 6, 6, 11, 0, tzinfo=BERLIN_SUMMER))  # Saturday
    assert office_hours_text(settings) == "Mo–Fr 09:00–17:00"
    always = Settings(office_days="0,1,2,3,4,5,6", office_open="00:00", office_close="24:00")
    assert in_office_hours(always, dt.datetime(2026, 6, 6, 23, 59, tzinfo=BERLIN_SUMMER))


def test_routing_uses_the_directory():
    assert route("wages", "BY").id == "fi-by"
    assert route("dismissal", "BY").name == "Faire Integration Bayern"
    assert route("recognition", "BY").programme == "iq_recognition"


def test_summary_takes_key_facts_from_slots():
    summary = build_summary("dismissal", {"kb_id": "dismissal-deadline", "sources": ["https://x"], "reasons": ["r"]},
                            {"notice_date": "2026-11-01", "unpaid_months": None, "language": "ar"})
    assert summary == {"topic": "dismissal", "facts": {"notice_date": "2026-11-01"}, "reasons": ["r"],
                       "kb_ids": ["dismissal-deadline"], "sources": ["https://x"], "deadline": None}


def test_callback_codes_fit_and_decode_locally():
    codec = ButtonCodec()
    for row in staff_keyboard(123456789).inline_keyboard + consent_keyboard("ar").inline_keyboard:
        for button in row:
            assert len(button.callback_data.encode()) <= 64
            assert codec.decode(button.callback_data).kind == "local"
    assert codec.decode("S:c:5").action == "S" and codec.decode("S:c:5").arg == "c:5"
    assert codec.decode("h").payload == "/request_human"


def test_counsellor_markup_is_shown_literally():
    assert "**" not in escape_md("**fett** und **mehr**")


def test_translation_is_cached_and_failures_never_raise(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    migrate(url)
    store = CaseStore(make_engine(url))
    with LibreTranslateDouble({("de", "ar", "Hallo"): "مرحبا"}) as double:
        translator = Translator(Settings(translator_provider="libre", libretranslate_url=double.url))
        first = asyncio.run(translate_cached(store, translator, "Hallo", "de", "ar"))
        second = asyncio.run(translate_cached(store, translator, "Hallo", "de", "ar"))
        assert first.text == second.text == "مرحبا" and len(double.calls) == 1
        double.fail = True
        failed = asyncio.run(translate_cached(store, translator, "Tschüss", "de", "ar"))
        assert failed.text is None and failed.failed
    assert asyncio.run(translate_cached(store, None, "Hallo", "de", "de")).text is None
    assert asyncio.run(translate_cached(store, None, "Neu", "de", "ar")).failed
