"""`make triage`: the contract of ARCHITECTURE.md, run as a user runs it."""
import json
import subprocess

import pytest

from bot.settings import PROJECT_ROOT
from bot.triage import BadLine, parse_line

KEYS = {"lang", "topic", "intent", "confidence", "entities", "answer", "sources", "kb_id", "handoff", "urgent"}


@pytest.mark.parametrize("line, message", [
    ("not json", "invalid JSON"),
    ("[1, 2]", "JSON object"),
    ('{"lang_hint": "uk"}', "text"),
    ('{"text": "   "}', "empty text"),
    ('{"text": "hi", "lang_hint": 5}', "lang_hint"),
    ("", "empty line"),
])
def test_bad_lines_are_reported(line, message):
    with pytest.raises(BadLine, match=message):
        parse_line(line)


@pytest.mark.stack
def test_make_triage_end_to_end():
    lines = [
        {"text": "Мене звільнили вчора"},
        {"text": "Wird mein Pflegediplom aus den Philippinen anerkannt? Ich wohne in Bayern", "lang_hint": "de"},
        "this is not json",
        {"text": ""},
        {"text": "😀😀😀"},
        {"text": "Mein Chef zahlt seit zwei Monaten keinen Lohn. " * 220},
        {"text": "My boss took my passport and I cannot pay rent", "lang_hint": "en"},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n"
    done = subprocess.run(["make", "-s", "triage"], input=stdin, capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=1200)
    assert done.returncode == 0, done.stderr[-2000:]
    results = [json.loads(line) for line in done.stdout.splitlines()]  # nothing but JSON on stdout
    assert len(results) == len(lines)
    uk, de, bad_json, empty, emoji, long_text, passport = results
    assert uk["lang"] == "uk" and uk["topic"] == "dismissal" and set(uk) >= KEYS
    assert uk["answer"] and uk["sources"][0].startswith("https://") and uk["kb_id"].startswith("dismissal-")
    assert uk["handoff"] is True and uk["urgent"] is True
    assert de["topic"] == "recognition" and de["lang"] == "de"
    assert {"entity": "BUNDESLAND", "value": "BY"} in [{k: e[k] for k in ("entity", "value")} for e in de["entities"]]
    assert "error" in bad_json and "error" in empty
    assert set(emoji) >= KEYS and emoji["topic"] == "other"
    assert long_text["topic"] == "wages" and "note" in long_text
    assert passport["urgent"] is True and passport["handoff"] is True
