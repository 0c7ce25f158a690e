"""Counselling directory (knowledge/directory.yml) and the routing topic x Bundesland x EU -> centres."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, HttpUrl

from bot.knowledge.base import KNOWLEDGE_DIR
from bot.knowledge.schema import BUNDESLAENDER

Programme = Literal["faire_integration", "faire_mobilitaet", "iq_recognition", "zsba", "migration_counselling"]


class Organisation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    programme: Programme
    name: str
    carrier: str = ""
    bundeslaender: list[str] = []  # empty = nationwide
    cities: list[str] = []
    url: HttpUrl
    contact: str = ""
    languages: list[str] = []
    audience: Literal["third_country", "eu", "all"] = "all"
    source: str
    as_of: dt.date
    verified: bool

    @property
    def nationwide(self) -> bool:
        return not self.bundeslaender


class Directory(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: dt.date
    organisations: list[Organisation]

    def programme_for(self, topic: str, eu_citizen: bool | None = None, abroad: bool = False) -> Programme:
        if topic == "recognition":
            return "zsba" if abroad else "iq_recognition"
        if topic == "residence":
            return "migration_counselling"
        # wages, dismissal, labour_rights and anything else about work
        return "faire_mobilitaet" if eu_citizen else "faire_integration"

    def route(self, topic: str, bundesland: str | None = None, eu_citizen: bool | None = None,
              abroad: bool = False) -> list[Organisation]:
        """Regional centres for the Bundesland first, then the programme's nationwide entry point."""
        programme = self.programme_for(topic, eu_citizen, abroad)
        of_programme = [o for o in self.organisations if o.programme == programme]
        regional = [o for o in of_programme if bundesland and bundesland in o.bundeslaender]
        nationwide = [o for o in of_programme if o.nationwide]
        return regional + nationwide

    def gaps(self) -> list[str]:
        """Bundesländer without a regional Faire Integration or IQ centre (kb-check reports these)."""
        missing = []
        for programme in ("faire_integration", "iq_recognition"):
            covered = {land for o in self.organisations if o.programme == programme for land in o.bundeslaender}
            missing += [f"{programme}:{land}" for land in BUNDESLAENDER if land not in covered]
        return missing


@lru_cache
def get_directory() -> Directory:
    return Directory.model_validate(yaml.safe_load((KNOWLEDGE_DIR / "directory.yml").read_text(encoding="utf-8")))
