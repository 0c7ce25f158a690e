"""Unit tests for the Telegram front end's pure parts: rendering and splitting, user keys, deep links,
callback data, the profile repository and erasure (SQLite and PostgreSQL)."""
import datetime as dt
import json

import pytest
from sqlalchemy import text

from bot.db.session import make_engine, migrate
from bot.languages import CURATED
from bot.telegram.callback_data import MAX_BYTES, ButtonCodec, Decoded, local
from bot.telegram.deep_links import deep_link, parse_start_payload, start_payload
from bot.telegram.erasure import Erasure
from bot.telegram.keyboards import group_safe, language_keyboard
from bot.telegram.profiles import Profiles
from bot.telegram.rendering import MAX_MESSAGE, render_chunks, split_markdown, to_html, utf16_len, visible_len
from bot.telegram.user_keys import group_sender_id, sender_ids, user_key
from bot.topics import CONTENT_TOPICS
from tests.telegram_double import html_error, strip_html


# --- rendering ------------------------------------------------------------------------------------
def test_bold_becomes_b_and_everything_else_is_escaped():
    html = to_html('**Title <x>**\nUser wrote <b>hi</b> & <script>alert("1")</script> https://a.de/?x=1&y=2')
    assert html.startswith("<b>Title &lt;x&gt;</b>\n")
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; &lt;script&gt;" in html
    assert "https://a.de/?x=1&amp;y=2" in html
    assert html_error(html) is None


@pytest.mark.parametrize("sample", ["a < b", "&amp; literal", "<<>>", "**unclosed bold", "** **", "<i>x</i>",
                                    "**a** **b** ** c", "emoji 😀 <b>"])
def test_rendered_html_is_always_parseable(sample):
    assert html_error(to_html(sample)) is None


def test_short_text_is_one_message():
    assert split_markdown("**Hi**\n\nshort") == ["**Hi**\n\nshort"]
    assert split_markdown("   ") == []


def test_long_text_splits_on_paragraph_boundaries():
    paragraphs = [f"**Part {i}**\n" + ("word " * 150).strip() for i in range(12)]
    text = "\n\n".join(paragraphs)
    assert visible_len(text) > MAX_MESSAGE
    pieces = split_markdown(text)
    assert len(pieces) > 1
    assert all(visible_len(p) <= MAX_MESSAGE for p in pieces)
    # no paragraph was cut: every piece is a run of whole paragraphs
    assert "\n\n".join(pieces) == text
    for piece in pieces:
        assert piece.startswith("**Part ")


def test_a_single_huge_paragraph_splits_on_lines_then_words_then_characters():
    lines = "\n".join("line " + "x" * 50 for _ in range(200))
    assert all(visible_len(p) <= MAX_MESSAGE for p in split_markdown(lines))
    one_word = "y" * 10000
    pieces = split_markdown(one_word)
    assert "".join(pieces) == one_word and all(len(p) <= MAX_MESSAGE for p in pieces)


def test_limit_counts_utf16_units_like_telegram():
    emoji = "😀" * 3000  # 2 UTF-16 units each
    pieces = split_markdown(emoji)
    assert all(utf16_len(p) <= MAX_MESSAGE for p in pieces) and len(pieces) == 2
    arabic = ("كلمة " * 1200).strip()
    assert all(visible_len(p) <= MAX_MESSAGE for p in split_markdown(arabic))


def test_escaping_does_not_count_towards_the_limit():
    text = "&" * 4000
    chunks = render_chunks(text)
    assert len(chunks) == 1 and len(strip_html(chunks[0])) == 4000


# --- user keys ------------------------------------------------------------------------------------
def test_user_key_is_a_stable_keyed_hash():
    key = user_key("secret", 123456789)
    assert key == user_key("secret", 123456789)
    assert len(key) == 64 and int(key, 16) >= 0
    assert key != user_key("other-secret", 123456789)
    assert key != user_key("secret", 123456780)
    assert "123456789" not in key


def test_group_conversation_has_its_own_sender_id():
    key = user_key("s", 1)
    assert group_sender_id(key) != key and sender_ids(key) == (key, group_sender_id(key))


# --- deep links -----------------------------------------------------------------------------------
@pytest.mark.parametrize("payload,topic,lang", [
    ("recognition_uk", "recognition", "uk"), ("labour_rights_ar", "labour_rights", "ar"),
    ("wages", "wages", None), ("fa", None, "fa"), ("DISMISSAL_DE", "dismissal", "de"),
])
def test_start_payloads_parse(payload, topic, lang):
    link = parse_start_payload(payload)
    assert link and link.topic == topic and link.lang == lang


@pytest.mark.parametrize("payload", [None, "", "unknown_uk", "wages_xx", "wages uk", "a" * 65, "wages_uk_x",
                                     "<script>", "labour_rights_"])
def test_bad_start_payloads_are_rejected(payload):
    assert parse_start_payload(payload) is None


def test_every_topic_and_language_makes_a_valid_round_trip_link():
    for topic in CONTENT_TOPICS:
        for lang in CURATED:
            payload = start_payload(topic, lang)
            assert len(payload) <= 64
            assert parse_start_payload(payload).topic == topic
            assert deep_link("@MyBot", topic, lang) == f"https://t.me/MyBot?start={topic}_{lang}"
    assert deep_link("MyBot") == "https://t.me/MyBot"


# --- callback data --------------------------------------------------------------------------------
@pytest.mark.parametrize("payload", [
    '/more_detail{"kb_id": "dismissal-register-jobseeker"}', '/counselling_centre{"topic": "labour_rights"}',
    '/choose_topic{"topic": "wages"}', '/set_bundesland{"bundesland_code": "BY"}',
    '/change_language{"lang_code": "uk"}', "/request_human", "/greet",
    '/something_new{"a": "b", "c": "' + "d" * 80 + '"}',
])
def test_rasa_payloads_round_trip_within_64_bytes(payload):
    codec = ButtonCodec()
    data = codec.encode(payload)
    assert len(data.encode()) <= MAX_BYTES
    decoded = codec.decode(data)
    assert decoded.kind == "rasa"
    parsed_back = decoded.payload
    if "{" in payload:
        name = payload.split("{")[0]
        assert parsed_back.startswith(name) and json.loads(parsed_back[len(name):]) == json.loads(payload[len(name):])
    else:
        assert parsed_back == payload


def test_unknown_or_forged_callback_data_is_expired_not_sent_to_rasa():
    codec = ButtonCodec()
    assert codec.decode("x:0123456789abcdef0123").kind == "expired"
    assert codec.decode('m:{"x": 1}').kind == "expired"
    assert codec.decode("r:not-a-command").kind == "expired"
    assert codec.decode("").kind == "expired"


def test_local_buttons_decode_as_local():
    codec = ButtonCodec()
    assert codec.decode(local("L", "uk")) == Decoded("local", action="L", arg="uk")
    assert all(len(b.callback_data) <= MAX_BYTES for row in language_keyboard("uk").inline_keyboard for b in row)


def test_group_keeps_only_general_information_buttons():
    buttons = [("More", '/more_detail{"kb_id": "x"}'), ("Centre", '/counselling_centre{"topic": "wages"}'),
               ("Person", "/request_human"), ("Topic", '/choose_topic{"topic": "wages"}')]
    assert [b[0] for b in group_safe(buttons)] == ["More", "Topic"]


# --- profiles and erasure -------------------------------------------------------------------------
def _make_tracker(url: str, senders: list[str]) -> None:
    engine = make_engine(url)
    id_type = "SERIAL" if engine.dialect.name == "postgresql" else "INTEGER"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS events (id {id_type} PRIMARY KEY, sender_id VARCHAR(255), "
                          "type_name VARCHAR(255), timestamp FLOAT, data TEXT)"))
        for i, sender in enumerate(senders):
            conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'user', :t, '{}')"),
                         {"s": sender, "t": 1e9 + i if sender == "ancient" else 4e9})
    engine.dispose()


def _count(url: str, sender: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    return n


async def _profile_and_erasure_flow(app_url: str, tracker_url: str) -> None:
    migrate(app_url)
    profiles = Profiles(make_engine(app_url))
    key, other = user_key("s", 1), user_key("s", 2)
    first = await profiles.touch(key)
    assert first.created and not first.privacy_accepted and first.language is None
    await profiles.set_language(key, "uk", confirmed=True)
    await profiles.accept_privacy(key)
    await profiles.set_bundesland(key, "BY")
    again = await profiles.touch(key)
    assert not again.created and again.language == "uk" and again.language_confirmed and again.privacy_accepted
    assert again.bundesland == "BY" and not again.blocked
    await profiles.mark_blocked(key)
    assert (await profiles.get(key)).blocked
    assert not (await profiles.touch(key)).blocked  # writing again means they unblocked us
    await profiles.mark_blocked("never-seen")       # no profile is created just to remember a block
    assert await profiles.get("never-seen") is None
    await profiles.touch(other)

    _make_tracker(tracker_url, [key, key, group_sender_id(key), other])
    erasure = Erasure(profiles, tracker_url)
    report = await erasure.erase(key)
    assert report.profile_deleted and report.tracker_events_deleted == 3
    assert await profiles.get(key) is None and await profiles.get(other) is not None
    assert _count(tracker_url, key) == 0 and _count(tracker_url, other) == 1
    assert (await erasure.erase(key)).tracker_events_deleted == 0  # idempotent

    _make_tracker(tracker_url, ["ancient"])
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=100)
    stale_profiles, old_events = erasure.purge_expired_sync(90, now=later)
    assert stale_profiles == 1 and await profiles.get(other) is None
    assert _count(tracker_url, "ancient") == 0 and old_events >= 1
    erasure.close()
    profiles.engine.dispose()


async def test_profiles_and_erasure_on_sqlite(tmp_path):
    await _profile_and_erasure_flow(f"sqlite:///{tmp_path / 'app.db'}", f"sqlite:///{tmp_path / 'tracker.db'}")


async def test_erasure_without_a_tracker_table_is_fine(tmp_path):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrate(url)
    profiles = Profiles(make_engine(url))
    await profiles.touch("k")
    report = await Erasure(profiles, f"sqlite:///{tmp_path / 'empty.db'}").erase("k")
    assert report.profile_deleted and report.tracker_events_deleted == 0


@pytest.mark.postgres
async def test_profiles_and_erasure_on_postgresql(pg_url):
    await _profile_and_erasure_flow(pg_url, pg_url)


# --- share links ----------------------------------------------------------------------------------
def test_share_links_print_and_write_qr_codes(tmp_path, capsys):
    from PIL import Image

    from bot.telegram.share_links import main

    assert main(["--bot-name", "@WegweiserBot", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(CONTENT_TOPICS) * len(CURATED)
    assert "recognition\tuk\thttps://t.me/WegweiserBot?start=recognition_uk" in lines
    png = tmp_path / "labour_rights_ar.png"
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size[0] >= 200
    assert (tmp_path / "links.csv").read_text(encoding="utf-8").count("\n") == len(lines) + 1


# --- group addressing, Bundesland from entities -----------------------------------------------------
class _FakeBot:
    id = 123
    username = "WegweiserTestBot"


def _group_message(text_: str, **extra):
    from telegram import Message

    from tests import telegram_double as tg

    data = tg.message(tg.group_chat(-100), tg.user(5), text_, **extra)
    return Message.de_json(data, None)


@pytest.mark.parametrize("text_,expected", [
    ("Wie hoch ist der Mindestlohn?", None),
    ("@WegweiserTestBot Wie hoch ist der Mindestlohn?", "Wie hoch ist der Mindestlohn?"),
    ("Frage an @wegweisertestbot: Mindestlohn?", "Frage an : Mindestlohn?"),
    ("@OtherBot Mindestlohn?", None),
    ("😀 @WegweiserTestBot", "😀"),  # entity offsets are UTF-16 units
    ("@WegweiserTestBot", ""),
])
def test_group_messages_are_answered_only_when_addressed(text_, expected):
    from bot.telegram.handlers.group import addressed_text

    assert addressed_text(_group_message(text_), _FakeBot()) == expected


def test_reply_to_the_bot_counts_as_addressed():
    from bot.telegram.handlers.group import addressed_text

    replied = {"message_id": 1, "date": 0, "chat": {"id": -100, "type": "supergroup"},
               "from": {"id": 123, "is_bot": True, "first_name": "W"}, "text": "..."}
    assert addressed_text(_group_message("und pro Stunde?", reply_to_message=replied), _FakeBot()) == "und pro Stunde?"
    replied["from"] = {"id": 9, "is_bot": False, "first_name": "X"}
    assert addressed_text(_group_message("und pro Stunde?", reply_to_message=replied), _FakeBot()) is None


def test_only_one_named_bundesland_is_stored():
    from bot.telegram.handlers.private_text import named_bundesland

    assert named_bundesland([{"entity": "BUNDESLAND", "value": "BY"}, {"entity": "CITY", "value": "munich"}]) == "BY"
    assert named_bundesland([{"entity": "BUNDESLAND", "value": "BY"}, {"entity": "BUNDESLAND", "value": "BE"}]) is None
    assert named_bundesland([{"entity": "BUNDESLAND", "value": "XX"}]) is None
