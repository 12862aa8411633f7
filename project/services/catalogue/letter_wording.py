"""The wording of the letters, kept as data: named placeholders, versions that labor relations saves
(a new version each time, never a change in place), and the default wording loaded from seed_data/letters/
while a kind has none. The letters themselves are printed by ``project.services.labor.letters``."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path
from string import Formatter
from typing import Any

from sqlalchemy import select

from project import clock, permissions
from project.extensions import db
from project.models import LetterTemplate, Role, User
from project.models.documents.packets import LETTER_KINDS
from project.services.audit import Actor, record_for
from project.services.catalogue.seed_files import LoadReport, SeedDataError
from project.services.errors import InvalidInput, StaleEdit
from project.transaction import committing

MAX_TITLE = 200
MAX_BODY = 20_000

KIND_LABELS = {
    "pre_disciplinary_notice": "Pre-disciplinary meeting notice",
    "notice_of_discipline": "Notice of discipline",
}

# The placeholders each letter may use, with what they are filled with (shown on the editing page).
COMMON_PLACEHOLDERS = {
    "employee_name": "The employee's name, first name first.",
    "employee_number": "The employee number from the roster.",
    "employee_title": "The employee's title or rank.",
    "facility": "The employee's facility.",
    "bargaining_unit": 'The employee\'s bargaining unit ("bargaining unit not recorded" when the roster has none).',
    "case_number": "The case number, e.g. SM-2026-0001.",
    "letter_date": "The date of the letter, e.g. March 2, 2026.",
    "signer_name": "Who signs: on a notice of discipline the appointing authority who made the decision "
    "(never the person who prints it); on a meeting notice the labor relations officer who prints it.",
    "signer_title": 'The signer\'s title: "Appointing Authority" on a notice of discipline, "Labor Relations" on '
    "a meeting notice.",
    "directive": 'The charged directive by number and catalogue title: "Administrative Directive 2.26, Social Media".',
    "charges": "Each sustained allegation: the provision cited, the quoted clause text, the post charged (its "
    "date, platform, account and content in summary), the finding and its reasoning (several paragraphs).",
    "evidence_summary": "The exhibits the sustained allegations rely on (all the case's exhibits when they cite "
    "none), one line each: exhibit number and description.",
}
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "pre_disciplinary_notice": COMMON_PLACEHOLDERS
    | {
        "meeting_date": "The date of the pre-disciplinary meeting from the labor relations record.",
    },
    "notice_of_discipline": COMMON_PLACEHOLDERS
    | {
        "discipline": 'The discipline imposed in words, e.g. "Suspension of 3 days".',
        "step": 'The discipline step imposed, e.g. "Suspension".',
        "suspension_days": "The number of suspension days (empty for other steps).",
        "decision_date": "The date of the decision to discipline (required: the notice is not printed without it).",
        "effective_date": '"on <date>" from the labor relations record (required), with when a suspension begins, '
        "or the close of the pre-disciplinary meeting and its specific reason for an immediate dismissal "
        "(RCSA 5-240-8a(b)).",
        "appeal_rights": "The appeal or grievance rights of the employee's bargaining unit (RCSA 5-240-8a(a)), from "
        "seed_data/bargaining_units.toml; the Employees' Review Board (C.G.S. 5-202) outside any unit.",
        "representation": "The employee's right to representation, from the same file.",
        "rebuttal_statement": "The statement that the employee may submit a written rebuttal kept with the record "
        "(C.G.S. 31-128e). Its text is fixed; it cannot be edited or left out.",
    },
}
# What a letter must keep saying, whatever else its wording changes.
REQUIRED: dict[str, tuple[str, ...]] = {
    "pre_disciplinary_notice": ("charges", "evidence_summary", "meeting_date", "directive"),
    "notice_of_discipline": (
        "charges",
        "discipline",
        "decision_date",
        "effective_date",
        "appeal_rights",
        "representation",
        "rebuttal_statement",
        "signer_name",
        "signer_title",
        "directive",
    ),
}
# Wording a letter may not carry typed in: the directive's old wrong title (its title comes from the
# catalogue through {directive}) and the case file's internal note numbers, which the employee never sees.
FORBIDDEN = (
    (re.compile(r"employee\s+social\s+media", re.IGNORECASE), 'The directive is "Social Media": use {directive}.'),
    (
        re.compile(r"\bnotes?\s*(?:no\.?\s*|#\s*)?\d+", re.IGNORECASE),
        "A letter cannot cite the case file's internal note numbers: state the fact itself.",
    ),
)
# The default wording as seeded before the directive's title and the notice's required content were fixed
# (SHA-256 of title + "\n" + body). A database still holding exactly this unedited seed version gets the
# new default as its next version when `flask seed` runs; any edited wording is left to labor relations.
SUPERSEDED_DEFAULTS = {
    "notice_of_discipline": {"3f6c5285b19b67b1c28dae7af28d3f0eef9ced3b255f96c04154763229a4e4d5"},
    "pre_disciplinary_notice": {"a4cf21c8d794b31cc98ab85ce25a1d85ea8a81c129e8aa7d444482dcdeed7c7e"},
}


def may_edit_templates(user: Any) -> bool:
    """Labor relations keeps the letters' wording. (A predicate for ``project.permissions`` when it is next
    edited; it lives here meanwhile.)"""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(Role.LABOR_RELATIONS)


# The wording: placeholders, versions, the seed ---------------------------------------------------------


def check_letter_kind(kind: str, field: str = "kind") -> None:
    if kind not in LETTER_KINDS:
        raise InvalidInput({field: f"Choose a letter: {', '.join(KIND_LABELS[k] for k in LETTER_KINDS)}."})


def _parse(text: str) -> list[tuple[str, str | None]]:
    """The text as (literal, placeholder or None) pieces; ``ValueError`` with a message for the person."""
    try:
        pieces = list(Formatter().parse(text))
    except ValueError:
        raise ValueError(
            "A brace { or } is missing its pair. Write a placeholder as {name}, and a brace meant as text as {{ or }}."
        ) from None
    parsed: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in pieces:
        if name is not None and (spec or conversion):
            raise ValueError(
                f"Write a placeholder as {{name}} with nothing else inside the braces: "
                f"{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}} "
                "is not one."
            )
        parsed.append((literal, name))
    return parsed


def placeholders_in(text: str) -> list[str]:
    """The placeholder names the text uses, in order; ``ValueError`` when its braces are malformed."""
    return [name for _, name in _parse(text) if name is not None]


def _forbidden_wording(title: str, body: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, text in (("title", title), ("body", body)):
        for pattern, message in FORBIDDEN:
            if pattern.search(text):
                found.setdefault(field, message)
    return found


def template_problems(kind: str, title: str, body: str) -> dict[str, str]:
    """What is wrong with a wording, by field (empty when it may be saved)."""
    known = PLACEHOLDERS[kind]
    listing = ", ".join(f"{{{name}}}" for name in known)
    errors: dict[str, str] = {}
    for field, text, limit, what, empty in (
        ("title", title, MAX_TITLE, "The title", "Give the wording a title."),
        ("body", body, MAX_BODY, "The text", "Write the letter's text."),
    ):
        if not text.strip():
            errors[field] = empty
            continue
        if len(text) > limit:
            errors[field] = f"{what} is at most {limit:,} characters."
            continue
        try:
            used = placeholders_in(text)
        except ValueError as problem:
            errors[field] = str(problem)
            continue
        unknown = sorted({name for name in used if name not in known}, key=used.index)
        if unknown:
            names = ", ".join(f"{{{name}}}" for name in unknown)
            errors[field] = (
                f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {names}. "
                f"The placeholders a {KIND_LABELS[kind].lower()} can use: {listing}."
            )
    errors = _forbidden_wording(title, body) | errors
    if "body" not in errors:
        missing = [name for name in REQUIRED[kind] if name not in placeholders_in(body)]
        if missing:
            errors["body"] = (
                f"A {KIND_LABELS[kind].lower()} must keep "
                f"{', '.join(f'{{{name}}}' for name in missing)}: the letter has to state it."
            )
    return errors


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each placeholder replaced by its value; ``KeyError`` names an unknown one."""
    out = []
    for literal, name in _parse(text):
        out.append(literal)
        if name is not None:
            if name not in values:
                raise KeyError(f"unknown placeholder {{{name}}}")
            out.append(values[name])
    return "".join(out)


def latest_template(kind: str) -> LetterTemplate | None:
    return db.session.scalars(
        select(LetterTemplate).where(LetterTemplate.kind == kind).order_by(LetterTemplate.version.desc()).limit(1)
    ).first()


def template_editors(versions: list[LetterTemplate]) -> dict[int, str]:
    """The names of the people who saved these versions, by user id."""
    ids = {t.updated_by_id for t in versions if t.updated_by_id}
    return {user.id: user.name for user in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def template_versions(kind: str) -> list[LetterTemplate]:
    """Every version of a letter's wording, newest first."""
    return list(
        db.session.scalars(
            select(LetterTemplate).where(LetterTemplate.kind == kind).order_by(LetterTemplate.version.desc())
        )
    )


def save_template(kind: str, title: str, body: str, actor: Actor, expected_version: int | None) -> LetterTemplate:
    """Save new wording as the next version of the letter; the earlier versions stay as they were, so every
    printed letter still names the wording it came from. ``expected_version`` is the version the person
    edited (None when there was none)."""
    permissions.require(may_edit_templates(actor.user), "Only labor relations edits the letters' wording.")
    check_letter_kind(kind)
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    errors = template_problems(kind, title, body)
    if errors:
        raise InvalidInput(errors)
    current = latest_template(kind)
    if (current.version if current else None) != expected_version:
        raise StaleEdit(f"the wording of the {KIND_LABELS[kind].lower()}")
    version = (current.version if current else 0) + 1
    with committing(f"the wording of the {KIND_LABELS[kind].lower()}", duplicate_is_conflict=True):
        template = LetterTemplate(
            kind=kind, version=version, title=title, body=body, updated_by_id=actor.user.id, updated_at=clock.now()
        )
        db.session.add(template)
        db.session.flush()
        record_for(
            actor,
            "letter_template.saved",
            object_type="letter_template",
            object_id=template.id,
            detail={
                "kind": kind,
                "version": version,
                "previous_version": current.version if current else None,
                "title": title,
            },
        )
    return template


def load_letter_templates(seed_dir: Path, report: LoadReport) -> None:
    """Insert each ``seed_data/letters/*.toml`` wording as version 1 of its kind, only when no version of that
    kind exists: labor relations' edits are never overwritten. The one exception: when the newest version is
    an old default nobody edited (``SUPERSEDED_DEFAULTS``), the new default is added as the next version (the
    old one stays, as printed letters name it). The caller commits."""
    for path in sorted((seed_dir / "letters").glob("*.toml")):
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SeedDataError(f"{path}: {exc}") from exc
        kind, title, body = data.get("kind", ""), data.get("title", "").strip(), data.get("body", "").strip()
        if kind not in LETTER_KINDS:
            raise SeedDataError(f"{path}: kind must be one of {', '.join(LETTER_KINDS)}, not {kind!r}")
        errors = template_problems(kind, title, body)
        if errors:
            raise SeedDataError(f"{path}: {' '.join(errors.values())}")
        latest = latest_template(kind)
        if latest is None or _is_superseded_default(latest):
            version = latest.version + 1 if latest is not None else 1
            db.session.add(
                LetterTemplate(
                    kind=kind, version=version, title=title, body=body, updated_by_id=None, updated_at=clock.now()
                )
            )
            db.session.flush()
            report.count(report.created, LetterTemplate)


def _is_superseded_default(template: LetterTemplate) -> bool:
    """An unedited seed version (saved by nobody) whose wording is an old default we have since corrected."""
    digest = hashlib.sha256(f"{template.title}\n{template.body}".encode()).hexdigest()
    return template.updated_by_id is None and digest in SUPERSEDED_DEFAULTS.get(template.kind, set())
