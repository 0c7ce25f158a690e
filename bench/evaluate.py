"""`make eval`: held-out NLU quality per language and per topic, topic confusion, language-ID accuracy.

Starts the stack (training the model if needed), parses every held-out example via Rasa's HTTP API,
prints tables and writes results/eval.json.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.language_detection import get_detector
from bot.languages import CURATED
from bot.nlu_eval import evaluate, load_examples, parse_all
from bot.settings import PROJECT_ROOT
from bot.stack import running_stack
from bot.topics import TOPICS


def print_report(report) -> None:
    print(f"Held-out examples: {report.examples}")
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


def main() -> int:
    examples = load_examples()
    with running_stack(persistent_trackers=False) as stack:
        parses = parse_all(stack.rasa_url, examples)
    report = evaluate(examples, parses, get_detector())
    print_report(report)
    out = Path(PROJECT_ROOT / "results")
    out.mkdir(exist_ok=True)
    (out / "eval.json").write_text(json.dumps({
        "topic_macro_f1": report.topic_macro_f1, "per_language_macro_f1": report.per_language_macro_f1,
        "intent_accuracy": report.intent_accuracy, "lid_accuracy": report.lid_accuracy,
        "lid_accuracy_with_hint": report.lid_accuracy_with_hint, "topic_scores": report.topic_scores,
        "confusion": {k: dict(v) for k, v in report.confusion.items()},
    }, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
