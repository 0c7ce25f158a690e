"""Canonical values for entities found by the spaCy entity_ruler (same data: nlu_data/entities)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.settings import PROJECT_ROOT
from bot.text_normalise import fold

ENTITY_DIR = PROJECT_ROOT / "nlu_data" / "entities"
PHRASE_FILES = ("professions", "bundeslaender", "cities", "residence_titles", "countries")


@dataclass(frozen=True)
class EntityData:
    ids: dict[str, dict[str, str]]  # label -> folded term -> canonical id
    records: dict[str, dict[str, dict]]  # label -> id -> the YAML entry (regulated, bundesland, eu, ...)


@lru_cache
def entity_data() -> EntityData:
    ids: dict[str, dict[str, str]] = {}
    records: dict[str, dict[str, dict]] = {}
    for name in PHRASE_FILES:
        path = ENTITY_DIR / f"{name}.yml"
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        label = data["label"]
        for entry in data["entries"]:
            records.setdefault(label, {})[str(entry["id"])] = entry
            for terms in (entry.get("terms") or {}).values():
                for term in terms or []:
                    ids.setdefault(label, {}).setdefault(fold(str(term)), str(entry["id"]))
    return EntityData(ids, records)


def canonical(label: str, text: str) -> str:
    """The canonical id for an entity text; DATE/DURATION keep their text."""
    return entity_data().ids.get(label, {}).get(fold(text), text)


def normalise(raw_entities: list[dict]) -> list[dict]:
    """Rasa entities -> [{entity, value, text, start, end}] with canonical values, plus the
    Bundesland implied by a city."""
    result = []
    for ent in raw_entities:
        label, text = ent.get("entity"), str(ent.get("value", ""))
        if not label or label.islower():  # lower-case entities are button payload parameters
            continue
        item = {"entity": label, "value": canonical(label, text), "text": text,
                "start": ent.get("start"), "end": ent.get("end")}
        result.append(item)
        if label == "CITY":
            land = entity_data().records.get("CITY", {}).get(item["value"], {}).get("bundesland")
            if land:
                result.append({"entity": "BUNDESLAND", "value": land, "text": text,
                               "start": ent.get("start"), "end": ent.get("end")})
    return result


def values_by_label(entities: list[dict]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for ent in entities:
        grouped.setdefault(ent["entity"], set()).add(ent["value"])
    return grouped


def is_eu_citizen(country_ids: set[str]) -> bool | None:
    """True if any named country is EU/EEA/CH, False if only others, None if none named."""
    if not country_ids:
        return None
    records = entity_data().records.get("COUNTRY", {})
    return any(records.get(c, {}).get("eu") or records.get(c, {}).get("eea_ch") for c in country_ids)


def profession_record(profession_id: str) -> dict:
    return entity_data().records.get("PROFESSION", {}).get(profession_id, {})
