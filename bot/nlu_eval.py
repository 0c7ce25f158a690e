"""Held-out evaluation of NLU (topics, intents) and language identification.

Shared by `make eval` (bench/evaluate.py) and the NLU quality test, so both measure the same thing.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from bot.language_detection import LanguageDetector
from bot.languages import CURATED
from bot.settings import PROJECT_ROOT
from bot.topics import TOPICS, topic_for_intent

HELD_OUT_DIR = PROJECT_ROOT / "nlu_data" / "test"
# A second split, written after the training data was final by someone who saw neither training nor
# held-out data, and never used for error analysis (docs/pipeline-comparison.md).
BLIND_DIR = PROJECT_ROOT / "nlu_data" / "test_blind"


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    intent: str

    @property
    def topic(self) -> str:
        return topic_for_intent(self.intent)


def load_examples(directory: Path = HELD_OUT_DIR) -> list[Example]:
    examples = []
    for lang in CURATED:
        data = yaml.safe_load((directory / f"{lang}.yml").read_text(encoding="utf-8"))
        for block in data["nlu"]:
            for line in block["examples"].splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    examples.append(Example(text, lang, block["intent"]))
    return examples


def parse_all(rasa_url: str, examples: list[Example]) -> list[dict]:
    with httpx.Client(base_url=rasa_url, timeout=30) as http:
        return [http.post("/model/parse", json={"text": ex.text}).json() for ex in examples]


def predicted_intent(parse: dict) -> str:
    """The best real intent (FallbackClassifier's nlu_fallback still carries the ranking)."""
    ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    return ranking[0]["name"] if ranking else parse["intent"]["name"]


def prf(gold: list[str], pred: list[str], labels: tuple[str, ...] | list[str]) -> dict[str, dict[str, float]]:
    scores = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return scores


def macro_f1(scores: dict[str, dict[str, float]]) -> float:
    present = [s["f1"] for s in scores.values() if s["support"]]
    return sum(present) / len(present) if present else 0.0


@dataclass
class Report:
    topic_scores: dict
    topic_macro_f1: float
    per_language_macro_f1: dict[str, float]
    intent_accuracy: float
    confusion: dict[str, Counter]
    lid_accuracy: float
    lid_accuracy_with_hint: float
    lid_errors: list[tuple[str, str, str]]
    examples: int


def evaluate(examples: list[Example], parses: list[dict], detector: LanguageDetector) -> Report:
    gold_topics = [ex.topic for ex in examples]
    pred_intents = [predicted_intent(p) for p in parses]
    pred_topics = [topic_for_intent(i) for i in pred_intents]
    per_language = {}
    for lang in CURATED:
        idx = [i for i, ex in enumerate(examples) if ex.lang == lang]
        per_language[lang] = macro_f1(prf([gold_topics[i] for i in idx], [pred_topics[i] for i in idx], TOPICS))
    confusion: dict[str, Counter] = defaultdict(Counter)
    for gold, pred in zip(gold_topics, pred_topics):
        confusion[gold][pred] += 1
    detected = [detector.detect(ex.text).lang for ex in examples]
    hinted = [detector.detect(ex.text, hint=ex.lang).lang for ex in examples]
    topic_scores = prf(gold_topics, pred_topics, TOPICS)
    return Report(
        topic_scores=topic_scores,
        topic_macro_f1=macro_f1(topic_scores),
        per_language_macro_f1=per_language,
        intent_accuracy=sum(g.intent == p for g, p in zip(examples, pred_intents)) / len(examples),
        confusion=dict(confusion),
        lid_accuracy=sum(d == ex.lang for d, ex in zip(detected, examples)) / len(examples),
        lid_accuracy_with_hint=sum(d == ex.lang for d, ex in zip(hinted, examples)) / len(examples),
        lid_errors=[(ex.lang, d, ex.text) for d, ex in zip(detected, examples) if d != ex.lang],
        examples=len(examples),
    )
