"""The intent -> topic mapping is kept in one place and agrees with the domain and the docs."""
import re

import yaml

from bot.settings import PROJECT_ROOT
from bot.topics import INTENT_TOPIC, TOPICS


def test_every_domain_intent_typed_by_users_has_a_topic():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    payload_only = {"more_detail", "counselling_centre", "choose_topic", "set_bundesland",
                    "check_deadline", "check_wage", "check_unpaid", "check_recognition", "check_residence"}
    assert set(domain["intents"]) - payload_only <= set(INTENT_TOPIC)
    assert set(INTENT_TOPIC.values()) <= set(TOPICS)


def test_intents_doc_table_matches_code():
    doc = (PROJECT_ROOT / "nlu_data" / "INTENTS.md").read_text()
    table = dict(re.findall(r"^\|\s*(\w+)\s*\|\s*(\w+)\s*\|", doc, re.M)[1:])
    assert table == {k: v for k, v in INTENT_TOPIC.items() if k != "nlu_fallback"}


def test_domain_has_no_user_facing_responses():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    assert not domain.get("responses")  # all text lives in knowledge/
