"""Letters to a subject employee, printed by labor relations from wording kept as data (AD 2.26; the
notice of discipline as RCSA 5-240-8a requires):

  pre_disciplinary_notice  the charges (each sustained allegation with its quoted clause), the evidence in
                           summary, the meeting date and the right to union representation
  notice_of_discipline     the charges with the posts charged, the step imposed (and its days), the
                           decision and effective dates, the appeal rights of the employee's bargaining unit,
                           the rebuttal statement, signed by the appointing authority who decided

The wording is a ``LetterTemplate``: a title and a plain-text body with named placeholders (``{charges}``),
one row per version; labor relations' edit is a new version, never a change in place, and a printed
``Letter`` names the version it came from. The default wording is in ``seed_data/letters/`` and is loaded
only when no version of a kind exists.

Nothing typed becomes HTML: placeholders are filled in plain text, and the whole text is escaped by the PDF
template (``rendering``).

A letter is dated the day it is issued (today, local). An earlier date needs a reason, kept on the letter
with the real day (``issued_on``) and shown wherever letters are listed.

A printed letter is stored content-addressed under ``EVIDENCE_DIR/letters/<sha[:2]>/<sha>.pdf`` (written
atomically, read-only) and recorded with its SHA-256. Printing a notice of discipline is the written notice:
the day it is issued becomes the subject's ``LaborAction.notice_issued_on`` when none is recorded, which meets the
written-notice clock and starts the clocks that run from the notice: the day it is really issued, never
the earlier date a backdated letter bears. A pre-disciplinary notice's date is
kept on the letter only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock, permissions
from project.extensions import db
from project.models import (
    Case,
    CaseSubject,
    LaborAction,
    Letter,
)
from project.models.documents.packets import LETTER_KINDS
from project.services.audit import Actor, record_for
from project.services.catalogue import KIND_LABELS, PLACEHOLDERS, REQUIRED, latest_template
from project.services.errors import CaseworkError, InvalidInput
from project.services.evidence import SHA256_HEX, EvidenceStore, EvidenceTampered, sha256_of, write_atomically
from project.services.labor.actions import labor_action_of
from project.services.labor.letter_values import letter_values
from project.services.labor.rendering import render_letter, render_pdf
from project.transaction import committing

log = logging.getLogger(__name__)
MAX_REASON = 2_000
__all__ = ["render_pdf"]  # re-exported by the package


class LetterTampered(EvidenceTampered):
    """A stored letter's bytes no longer hash to the SHA-256 recorded when it was printed (or it is gone)."""


# Printing, listing, reading back -------------------------------------------------------------------------


def letter_path(evidence_dir: str | Path, sha256: str) -> Path:
    if not SHA256_HEX.fullmatch(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return Path(evidence_dir) / "letters" / sha256[:2] / f"{sha256}.pdf"


def _put(path: Path, sha256: str, pdf: bytes) -> bool:
    """Store the letter unless the same bytes are there already; return whether this call wrote the file."""
    if path.exists():
        if sha256_of(path.read_bytes()) != sha256:
            raise LetterTampered(
                f"The letter store already holds a file named {sha256}, but its bytes no longer "
                "match that SHA-256: the store may have been altered. Nothing was saved; report "
                "this to an administrator."
            )
        return False
    write_atomically(path, pdf)
    return True


@contextmanager
def _stored(evidence_dir: str | Path, sha256: str, pdf: bytes) -> Iterator[None]:
    """The file is written before the rows are committed, under the store's lock; if the commit fails the file
    is removed again, unless a committed letter has the same bytes."""
    store = EvidenceStore(evidence_dir)
    path = letter_path(evidence_dir, sha256)
    with store.exclusive():
        created = False
        try:
            created = _put(path, sha256, pdf)
            yield
        except BaseException:
            if created:  # the transaction was rolled back: the file goes unless a committed letter holds it
                with suppress(Exception):
                    if db.session.scalar(select(Letter.id).where(Letter.sha256 == sha256).limit(1)) is None:
                        store.remove(path)
            raise


def _start_notice_clock(action: LaborAction, issued_on: date, actor: Actor) -> str | None:
    """The notice of discipline is the written notice: the day it is really issued (not the date it bears)
    is recorded when no notice date is, so a backdated letter never meets the written-notice clock early."""
    if action.notice_issued_on is not None:
        return None
    action.notice_issued_on = issued_on
    action.updated_by_id = actor.user.id
    action.updated_at = clock.now()
    return issued_on.isoformat()


@dataclass(frozen=True)
class LetterOrder:
    """Which letter, as the print form gives it: its kind, the date it bears (the day it is issued, unless
    ``backdated_reason`` says why it bears an earlier one)."""

    kind: str
    letter_date: date
    backdated_reason: str = ""


def _check_backdating(order: LetterOrder, issued_on: date) -> str:
    """The reason a letter bears a date before the day it is issued; refused without one."""
    reason = " ".join((order.backdated_reason or "").split())
    if order.letter_date < issued_on and not reason:
        raise InvalidInput(
            {
                "backdated_reason": f"A letter is dated the day it is issued ({issued_on.isoformat()}). To date it "
                f"{order.letter_date.isoformat()}, give the reason; the letter is flagged as backdated."
            }
        )
    if order.letter_date >= issued_on and reason:
        raise InvalidInput({"backdated_reason": "Only a backdated letter takes a reason."})
    if len(reason) > MAX_REASON:
        raise InvalidInput({"backdated_reason": f"At most {MAX_REASON:,} characters."})
    return reason


def print_letter(
    case: Case, subject: CaseSubject, order: LetterOrder, actor: Actor, evidence_dir: str | Path
) -> tuple[Letter, bytes]:
    """Print a letter to a subject from the newest wording of its kind: render it (before anything is
    written), store the PDF, record the letter with its hash and audit it, in one commit. A notice of
    discipline also records its date as the written notice when none is recorded."""
    permissions.require(
        permissions.can_work_labor_relations(actor.user, case),
        "Only labor relations prints letters, on an approved case or one in discipline.",
    )
    if subject.case_id != case.id:
        raise InvalidInput({"subject": "Choose a subject of this case."})
    kind, letter_date = order.kind, order.letter_date
    issued_on = clock.local_today()
    values = letter_values(case, subject, kind, letter_date, actor)
    template = latest_template(kind)
    if template is None:
        raise CaseworkError(f"There is no wording for the {KIND_LABELS[kind].lower()} yet: run `flask seed`.")
    backdated_reason = _check_backdating(order, issued_on)
    pdf = render_letter(case, template, values, letter_date)
    sha256 = sha256_of(pdf)
    with _stored(evidence_dir, sha256, pdf), committing("this letter", duplicate_is_conflict=True):
        letter = Letter(
            case_id=case.id,
            subject_id=subject.id,
            template_id=template.id,
            kind=kind,
            letter_date=letter_date,
            sha256=sha256,
            size_bytes=len(pdf),
            printed_by_id=actor.user.id,
            printed_at=clock.now(),
            issued_on=issued_on,
            backdated_reason=backdated_reason,
        )
        db.session.add(letter)
        action = labor_action_of(subject) if kind == "notice_of_discipline" else None
        notice_set = _start_notice_clock(action, issued_on, actor) if action is not None else None
        db.session.flush()
        record_for(
            actor,
            "letter.printed",
            case_id=case.id,
            object_type="letter",
            object_id=letter.id,
            detail={
                "kind": kind,
                "sha256": sha256,
                "letter_date": letter_date.isoformat(),
                "issued_on": issued_on.isoformat(),
                "backdated_reason": backdated_reason or None,
                "template_version": template.version,
                "subject": subject.employee.employee_number,
                "size_bytes": len(pdf),
                "notice_issued_on_set": notice_set,
            },
        )
    return letter, pdf


def letters_of(case: Case, subject: CaseSubject | None = None) -> list[Letter]:
    """The case's printed letters (or one subject's), oldest first."""
    query = (
        select(Letter)
        .where(Letter.case_id == case.id)
        .options(selectinload(Letter.template), selectinload(Letter.printed_by))
        .order_by(Letter.printed_at, Letter.id)
    )
    if subject is not None:
        query = query.where(Letter.subject_id == subject.id)
    return list(db.session.scalars(query))


def letter_of(case: Case, letter_id: int) -> Letter | None:
    letter = db.session.get(Letter, letter_id)
    return letter if letter is not None and letter.case_id == case.id else None


def letter_bytes(letter: Letter, evidence_dir: str | Path) -> bytes:
    """The stored PDF, after checking it still hashes to the SHA-256 recorded when it was printed."""
    try:
        data = letter_path(evidence_dir, letter.sha256).read_bytes()
    except FileNotFoundError:
        raise LetterTampered(
            f"The stored file of letter {letter.id} ({letter.sha256}) is missing from the "
            "letter store. Report this to an administrator."
        ) from None
    if sha256_of(data) != letter.sha256:
        raise LetterTampered(
            f"The stored file of letter {letter.id} no longer matches the SHA-256 recorded when "
            f"it was printed ({letter.sha256}): it may have been altered. It was not released; "
            "report this to an administrator."
        )
    return data


def download_letter(case: Case, letter: Letter, actor: Actor, evidence_dir: str | Path) -> bytes:
    """A stored letter again, verified, with ``letter.downloaded`` committed before a byte leaves (or
    ``letter.integrity_failed`` when the file no longer matches)."""
    permissions.require(
        letter.case_id == case.id and permissions.can_work_labor_relations(actor.user, case),
        "Only labor relations reads the letters of a case in its hands.",
    )
    detail: dict[str, Any] = {
        "kind": letter.kind,
        "sha256": letter.sha256,
        "letter_date": letter.letter_date.isoformat(),
    }
    try:
        data = letter_bytes(letter, evidence_dir)
    except LetterTampered as failure:
        with committing("the audit trail"):
            record_for(
                actor,
                "letter.integrity_failed",
                case_id=case.id,
                object_type="letter",
                object_id=letter.id,
                detail=detail | {"problem": str(failure)},
            )
        raise
    with committing("the audit trail"):
        record_for(
            actor, "letter.downloaded", case_id=case.id, object_type="letter", object_id=letter.id, detail=detail
        )
    return data


def download_name(case: Case, letter: Letter) -> str:
    """``SM-2026-0001-notice_of_discipline-2026-03-02.pdf``."""
    return f"{case.number}-{letter.kind}-{letter.letter_date.isoformat()}.pdf"


@dataclass(frozen=True)
class KindInfo:
    kind: str
    label: str
    placeholders: dict[str, str]
    required: tuple[str, ...]


def kinds() -> list[KindInfo]:
    return [KindInfo(k, KIND_LABELS[k], PLACEHOLDERS[k], REQUIRED[k]) for k in LETTER_KINDS]
