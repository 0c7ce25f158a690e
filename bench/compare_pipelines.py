"""`make compare-pipelines`: train each NLU pipeline variant and compare them on the held-out split.

Variants: config.yml (the one in use) and every configs/*.yml. Results are printed and written to
results/pipeline-comparison.json; docs/pipeline-comparison.md records the latest run.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bot.language_detection import get_detector
from bot.nlu_eval import evaluate, load_examples, parse_all
from bot.settings import PROJECT_ROOT
from bot.stack import running_stack, train


def main() -> int:
    variants = ["config.yml"] + sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "configs").glob("*.yml"))
    examples = load_examples()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for config in variants:
            name = Path(config).stem
            start = time.perf_counter()
            model = train(Path(tmp), config=config, name=name, force=True)
            seconds = time.perf_counter() - start
            with running_stack(persistent_trackers=False, model=model) as stack:
                report = evaluate(examples, parse_all(stack.rasa_url, examples), get_detector())
            results[config] = {"topic_macro_f1": round(report.topic_macro_f1, 4),
                               "intent_accuracy": round(report.intent_accuracy, 4),
                               "min_language_f1": round(min(report.per_language_macro_f1.values()), 4),
                               "per_language": {k: round(v, 3) for k, v in report.per_language_macro_f1.items()},
                               "training_seconds": round(seconds)}
            print(f"{config:<32} topic macro-F1 {report.topic_macro_f1:.3f}  intent acc {report.intent_accuracy:.3f}  "
                  f"weakest language {min(report.per_language_macro_f1.values()):.3f}  training {seconds:.0f} s")
    (PROJECT_ROOT / "results").mkdir(exist_ok=True)
    (PROJECT_ROOT / "results" / "pipeline-comparison.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
