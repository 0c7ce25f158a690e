"""Build the blank multilingual spaCy pipeline that Rasa's SpacyNLP loads.

Runs in the Rasa environment (spaCy 3.4). Nothing is downloaded: the pipeline is a blank `xx`
tokenizer plus an `entity_ruler` whose patterns come from `nlu_data/entities/*.yml`.

    python scripts/build_spacy_model.py nlu_data/entities build/spacy_xx
"""
from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from pathlib import Path

import spacy
import yaml

PHRASE_FILES = ("professions", "bundeslaender", "cities", "residence_titles", "countries")


def strip_accents(text: str) -> str:
    """'Nürnberg' -> 'Nurnberg'; people often type without diacritics."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def phrase_patterns(data: dict) -> list[dict]:
    label = data["label"]
    patterns, seen = [], set()
    for entry in data["entries"]:
        terms = entry.get("terms", {})
        flat = [t for lang_terms in terms.values() for t in (lang_terms or [])]
        for term in flat:
            for variant in {str(term), strip_accents(str(term))}:
                key = variant.lower()
                if not key.strip() or key in seen:
                    continue
                seen.add(key)
                patterns.append({"label": label, "pattern": key, "id": str(entry["id"])})
    return patterns


def time_patterns(data: dict) -> list[dict]:
    """DATE: relative days, "last <weekday>", day-month dates; DURATION: <number> <unit> (+ "ago")."""
    relative, weekdays, months, units, ago, last = set(), set(), set(), set(), set(), set()
    for words in data["language_words"].values():
        relative.update(w.lower() for w in words.get("relative_days", []))
        weekdays.update(w.lower() for w in words.get("weekdays", []))
        months.update(w.lower() for w in words.get("months", []))
        for forms in (words.get("units") or {}).values():
            units.update(w.lower() for w in forms)
        ago.update(w.lower() for w in words.get("ago", []))
        last.update(w.lower() for w in words.get("last", []))
    single = lambda ws: sorted(w for w in ws if " " not in w)  # noqa: E731
    number = {"TEXT": {"REGEX": r"^\d{1,3}([.,]\d)?$"}}
    return [
        {"label": "DATE", "pattern": [{"LOWER": {"IN": single(relative)}}], "id": "relative_day"},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": single(last)}}, {"LOWER": {"IN": single(weekdays)}}],
         "id": "last_weekday"},
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{1,2}\.\d{1,2}\.(\d{2}|\d{4})?$"}}], "id": "numeric"},
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{4}-\d{2}-\d{2}$"}}], "id": "iso"},
        {"label": "DATE", "pattern": [{"TEXT": {"REGEX": r"^\d{1,2}\.?$"}}, {"LOWER": {"IN": single(months)}}],
         "id": "day_month"},
        {"label": "DURATION",
         "pattern": [{"LOWER": {"IN": single(ago)}, "OP": "?"}, number, {"LOWER": {"IN": single(units)}},
                     {"LOWER": {"IN": single(ago)}, "OP": "?"}], "id": "number_unit"},
    ]


def build(entity_dir: Path, out_dir: Path) -> int:
    patterns: list[dict] = []
    for name in PHRASE_FILES:
        path = entity_dir / f"{name}.yml"
        if path.exists():
            patterns += phrase_patterns(yaml.safe_load(path.read_text(encoding="utf-8")))
    time_file = entity_dir / "time_words.yml"
    if time_file.exists():
        patterns += time_patterns(yaml.safe_load(time_file.read_text(encoding="utf-8")))

    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    ruler.add_patterns(patterns)
    nlp.meta["name"] = "wegweiser_xx"
    nlp.meta["version"] = "1.0.0"
    digest = hashlib.sha256(json.dumps(patterns, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    nlp.meta["description"] = f"Blank xx pipeline with entity_ruler; patterns sha256 {digest[:16]}"
    out_dir.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out_dir)
    return len(patterns)


if __name__ == "__main__":
    count = build(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"spaCy pipeline written to {sys.argv[2]} with {count} patterns")
