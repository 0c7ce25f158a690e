"""Schema of a knowledge entry (see knowledge/FORMAT.md). Validation errors name the file and field."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from bot.languages import CURATED
from bot.topics import CONTENT_TOPICS, INTENT_TOPIC

BUNDESLAENDER = ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")
ESCALATIONS = (
    "deadline_running", "wages_unpaid", "livelihood_at_risk", "residence_at_risk",
    "exploitation", "discrimination", "accident", "complex_case",
)
ROUTES = ("faire_integration", "iq_recognition", "migration_counselling", "none")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    url: HttpUrl
    title: str

    @field_validator("url")
    @classmethod
    def https_only(cls, url: HttpUrl) -> HttpUrl:
        if url.scheme != "https":
            raise ValueError("sources must use https")
        return url


class Figure(Strict):
    name: str
    value: float
    unit: str
    valid_from: dt.date | None = None  # None: fixed by law with no scheduled change
    valid_until: dt.date | None = None
    source: HttpUrl

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None or day <= self.valid_until)


class LocalisedContent(Strict):
    status: Literal["reviewed", "machine-translated"]
    title: str = Field(min_length=2, max_length=80)
    answer: str = Field(min_length=20)
    steps: list[str] = Field(min_length=1, max_length=5)
    advice: str = Field(min_length=10)


class Variant(Strict):
    bundesland: list[str]
    note: dict[str, str]

    @field_validator("bundesland")
    @classmethod
    def known_laender(cls, codes: list[str]) -> list[str]:
        unknown = set(codes) - set(BUNDESLAENDER)
        if unknown:
            raise ValueError(f"unknown Bundesland codes {sorted(unknown)}")
        return codes


class Entry(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]+$")
    topic: Literal["recognition", "residence", "wages", "dismissal", "labour_rights"]
    intents: list[str] = Field(min_length=1)
    default_for: list[str] = []
    keywords: dict[str, list[str]]
    legal_refs: list[str] = []
    sources: list[Source] = Field(min_length=1)
    figures: list[Figure] = []
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    last_reviewed: dt.date
    reviewer: str
    escalation: list[Literal[ESCALATIONS]] = []  # type: ignore[valid-type]
    route_to: Literal[ROUTES] = "none"  # type: ignore[valid-type]
    content: dict[str, LocalisedContent]
    variants: list[Variant] = []
    # Entity values (canonical ids from nlu_data/entities) that make this entry the better answer,
    # e.g. {"PROFESSION": ["nurse"]} or {"RESIDENCE_TITLE": ["duldung"]}.
    match_entities: dict[str, list[str]] = {}

    @field_validator("intents", "default_for")
    @classmethod
    def known_intents(cls, intents: list[str]) -> list[str]:
        unknown = [i for i in intents if INTENT_TOPIC.get(i) not in CONTENT_TOPICS]
        if unknown:
            raise ValueError(f"not content intents: {unknown}")
        return intents

    @model_validator(mode="after")
    def consistent(self) -> "Entry":
        missing = [lang for lang in CURATED if lang not in self.content]
        if missing:
            raise ValueError(f"content missing for languages {missing}")
        missing_kw = [lang for lang in CURATED if not self.keywords.get(lang)]
        if missing_kw:
            raise ValueError(f"keywords missing for languages {missing_kw}")
        if not set(self.default_for) <= set(self.intents):
            raise ValueError("default_for must be a subset of intents")
        wrong_topic = [i for i in self.intents if INTENT_TOPIC[i] != self.topic]
        if wrong_topic:
            raise ValueError(f"intents {wrong_topic} belong to another topic than {self.topic}")
        return self

    def current_figures(self, day: dt.date) -> list[Figure]:
        return [f for f in self.figures if f.valid_on(day)]
