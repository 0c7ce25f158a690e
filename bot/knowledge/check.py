"""`make kb-check`: the curators' gate. Exits non-zero with a list of problems.

Checks: schema of every entry; all 11 languages present (or marked machine-translated); https sources;
review date within 12 months; no figure past its valid_until unless a figure of the same name is valid today
(an announced change, e.g. next year's minimum wage, keeps the gate green); every content intent has an entry
and a default; every entry reachable by an intent; catalogue complete; directory covers all 16 Länder.
"""
from __future__ import annotations

import datetime as dt
import sys

from bot.knowledge.base import KnowledgeBase, KnowledgeError
from bot.knowledge.catalogue import Catalogue
from bot.knowledge.directory import get_directory
from bot.topics import CONTENT_TOPICS, INTENT_TOPIC

REVIEW_MAX_AGE = dt.timedelta(days=365)


def problems(kb: KnowledgeBase, today: dt.date) -> list[str]:
    found = []
    for entry in kb.entries:
        if today - entry.last_reviewed > REVIEW_MAX_AGE:
            found.append(f"{entry.id}: last_reviewed {entry.last_reviewed} is older than 12 months")
        if entry.last_reviewed > today:
            found.append(f"{entry.id}: last_reviewed {entry.last_reviewed} lies in the future")
        if entry.valid_until and entry.valid_until < today:
            found.append(f"{entry.id}: entry expired on {entry.valid_until}")
        for figure in entry.figures:
            superseded = any(other.name == figure.name and other.valid_on(today) for other in entry.figures)
            if figure.valid_until and figure.valid_until < today and not superseded:
                found.append(f"{entry.id}: figure {figure.name}={figure.value} expired on {figure.valid_until}")
        for lang in ("de", "en"):
            if entry.content[lang].status != "reviewed":
                found.append(f"{entry.id}: {lang} must be reviewed (it is the fallback language)")
    content_intents = [i for i, topic in INTENT_TOPIC.items() if topic in CONTENT_TOPICS]
    for intent in content_intents:
        if not any(intent in e.intents for e in kb.entries):
            found.append(f"intent {intent}: no entry answers it")
        defaults = [e.id for e in kb.entries if intent in e.default_for]
        if len(defaults) != 1:
            found.append(f"intent {intent}: needs exactly one default entry, has {defaults}")
    # Reachable: some intent leads to the entry and at least one keyword selects it over the default.
    for entry in kb.entries:
        if not any(kb.select(kw, intent) is entry for intent in entry.intents
                   for kws in entry.keywords.values() for kw in kws):
            found.append(f"{entry.id}: no keyword selects this entry (unreachable)")
    return found


def main() -> int:
    today = dt.date.today()
    try:
        kb = KnowledgeBase.load()
    except KnowledgeError as exc:
        print(f"kb-check: invalid entries\n{exc}", file=sys.stderr)
        return 1
    found = problems(kb, today)
    found += [f"catalogue: missing {item}" for item in Catalogue.load().missing()]
    from bot.flows.figures import missing_flow_figures

    found += [f"guided flows need figure {item} (valid today)" for item in missing_flow_figures(kb, today)]
    try:
        found += [f"directory: no regional centre for {gap}" for gap in get_directory().gaps()]
    except (FileNotFoundError, ValueError) as exc:
        found.append(f"directory: {exc}")
    if found:
        print("kb-check found problems:\n" + "\n".join(f"- {p}" for p in found), file=sys.stderr)
        return 1
    machine = sum(1 for e in kb.entries for c in e.content.values() if c.status == "machine-translated")
    print(f"kb-check ok: {len(kb.entries)} entries, {len(CONTENT_TOPICS)} topics, "
          f"{machine} translations awaiting native review")
    return 0


if __name__ == "__main__":
    sys.exit(main())
