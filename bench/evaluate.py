"""`make eval`: held-out NLU quality per language and per topic, topic confusion, language-ID accuracy.

Starts the stack (training the model if needed), parses every example of the held-out split and of the
blind split via Rasa's HTTP API, prints tables and writes results/eval.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.language_detection import get_detector
from bot.languages import CURATED
from bot.nlu_eval import BLIND_DIR, HELD_OUT_DIR, evaluate, load_examples, parse_all
from bot.settings import PROJECT_ROOT
from bot.stack import running_stack
from bot.topics import TOPICS


def print_report(title: str, report) -> None:
    print(f"== {title}: {report.examples} examples")
    print(f"Topic macro-F1: {report.topic_macro_f1:.3f}   intent accuracy: {report.intent_accuracy:.3f}")
    print(f"Language-ID accuracy: {report.lid_accuracy:.3f} (text only), "
          f"{report.lid_accuracy_with_hint:.3f} (with Telegram language hint)\n")
    print(f"{'topic':<15}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}")
    for topic, s in report.topic_scores.items():
        print(f"{topic:<15}{s['precision']:>10.3f}{s['recall']:>10.3f}{s['f1']:>10.3f}{s['support']:>10}")
    print("\nTopic macro-F1 per language:")
    print("  " + "  ".join(f"{lang}={report.per_language_macro_f1[lang]:.3f}" for lang in CURATED))
    print("\nTopic confusion (rows: gold, columns: predicted):")
    print(f"{'':<15}" + "".join(f"{t[:9]:>10}" for t in TOPICS))
    for gold in TOPICS:
        row = report.confusion.get(gold, {})
        print(f"{gold:<15}" + "".join(f"{row.get(p, 0):>10}" for p in TOPICS))
    if report.lid_errors:
        print(f"\nLanguage-ID errors ({len(report.lid_errors)}):")
        for gold, got, text in report.lid_errors:
            print(f"  {gold} -> {got}: {text}")


def as_json(report) -> dict:
    return {
        "examples": report.examples, "topic_macro_f1": report.topic_macro_f1,
        "per_language_macro_f1": report.per_language_macro_f1, "intent_accuracy": report.intent_accuracy,
        "lid_accuracy": report.lid_accuracy, "lid_accuracy_with_hint": report.lid_accuracy_with_hint,
        "topic_scores": report.topic_scores, "confusion": {k: dict(v) for k, v in report.confusion.items()},
    }


def main() -> int:
    splits = {"held-out split (nlu_data/test)": HELD_OUT_DIR, "blind split (nlu_data/test_blind)": BLIND_DIR}
    examples = {title: load_examples(directory) for title, directory in splits.items() if directory.is_dir()}
    with running_stack(persistent_trackers=False) as stack:
        parses = {title: parse_all(stack.rasa_url, split) for title, split in examples.items()}
    detector = get_detector()
    results = {}
    for title, split in examples.items():
        report = evaluate(split, parses[title], detector)
        print_report(title, report)
        print()
        results[title] = as_json(report)
    out = Path(PROJECT_ROOT / "results")
    out.mkdir(exist_ok=True)
    (out / "eval.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
