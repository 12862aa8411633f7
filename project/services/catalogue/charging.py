"""Loading what makes a clause chargeable: its kind, the sentence a charge quotes, whether its number was
inferred from the OCR copy, and the elements a finding must address (``[[clauses.elements]]``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from project.extensions import db
from project.models import AllegationElementFinding, Clause, ClauseElement
from project.models.policy.catalogue import CLAUSE_KINDS, POST_FACTS
from project.services.catalogue.seed_files import LoadReport, SeedDataError, upsert


def charging_values(directive: str, entry: dict[str, Any]) -> dict[str, Any]:
    """The clause's columns about charging, checked: a known kind, and only prohibitions with charge text."""
    number, kind = entry["number"], entry.get("kind", "unclassified")
    if kind not in CLAUSE_KINDS:
        raise SeedDataError(f"AD {directive} {number}: unknown kind {kind!r} (one of {', '.join(CLAUSE_KINDS)})")
    if kind != "prohibition" and (entry.get("charge_text") or entry.get("elements")):
        raise SeedDataError(f"AD {directive} {number}: only a prohibition has charge_text or elements")
    if kind == "prohibition" and not entry.get("elements"):
        raise SeedDataError(f"AD {directive} {number}: a prohibition needs the elements a finding must address")
    charge_text = entry.get("charge_text") or None
    if charge_text and " ".join(charge_text.split()) not in " ".join(entry.get("text", "").split()):
        raise SeedDataError(f"AD {directive} {number}: charge_text must be quoted from the clause's text")
    return {
        "kind": kind,
        "kind_reason": entry.get("kind_reason", ""),
        "cite_instead": entry.get("cite_instead", ""),
        "charge_text": charge_text,
        "number_inferred": bool(entry.get("number_inferred", False)),
        "inferred_note": entry.get("inferred_note", ""),
    }


def load_elements(directive: str, clause: Clause, entries: list[dict[str, Any]], report: LoadReport) -> None:
    """Upsert the clause's elements by code; an element no longer listed is removed unless a finding answers it."""
    codes = [e["code"] for e in entries]
    if len(codes) != len(set(codes)):
        raise SeedDataError(f"AD {directive} {clause.number}: an element code is listed twice")
    existing = list(db.session.scalars(select(ClauseElement).where(ClauseElement.clause_id == clause.id)))
    target = {code: position for position, code in enumerate(codes, start=1)}
    if any(target.get(e.code) != e.position for e in existing):
        for element in existing:  # out of the way first, so re-ordered positions never collide
            element.position = -element.position - 1
        db.session.flush()
    for position, entry in enumerate(entries, start=1):
        fact = entry.get("post_fact")
        if fact is not None and fact not in POST_FACTS:
            raise SeedDataError(f"AD {directive} {clause.number}: unknown post_fact {fact!r}")
        upsert(
            ClauseElement,
            {"clause_id": clause.id, "code": entry["code"]},
            {"position": position, "text": entry["text"], "post_fact": fact},
            report,
        )
    for element in existing:
        if element.code in codes:
            continue
        answered = db.session.scalars(
            select(AllegationElementFinding).where(AllegationElementFinding.element_id == element.id).limit(1)
        ).first()
        if answered is not None:
            raise SeedDataError(
                f"AD {directive} {clause.number}: element {element.code} is answered by findings: it cannot be "
                "removed. Load the revision as a new version with its own effective_date."
            )
        db.session.delete(element)
    db.session.flush()
