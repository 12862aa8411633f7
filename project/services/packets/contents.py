"""What a case packet holds, gathered from the case as it stands: the sections, the exhibits with their
print renditions, and what the redacted variant masks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import AuditEvent, Case, JustCauseAssessment, LeavePeriod, LegalHold, Letter
from project.services import casework, discipline, evidence, labor, records
from project.services.casework import CaseFile, case_file
from project.services.deadlines import Deadline, case_deadlines
from project.services.masking import Identifier
from project.services.packets.exhibit_pages import PacketExhibit, PacketRefused, Progress, prepare_exhibits
from project.services.packets.notices import ReleaseWindow, release_window
from project.services.packets.variants import INTERNAL, Variant, variant_named

REDACTED = "[REDACTED]"


@dataclass
class PacketData:
    file: CaseFile
    variant: str
    rules: Variant
    recipient: str
    own_subject_id: int | None  # the employee / union copy: the one subject whose file it is
    bates_prefix: str
    as_of: datetime
    exhibits: list[PacketExhibit]
    custody: list[AuditEvent]
    prior: dict[int, list[discipline.Weighed]]  # counted and set aside, on the date of the conduct
    deadlines: list[Deadline]
    masked: list[Identifier]
    window: ReleaseWindow | None = None  # the public release: its C.G.S. 1-214 notice and window
    withheld: list[evidence.ReleaseState] = field(default_factory=list)  # release packet: left out, and why
    letters: dict[int, list[Letter]] = field(default_factory=dict)  # by subject: printed letters, backdating flagged
    # the internal packet: the reviewer's just-cause answers the standing approval relied on, by subject
    just_cause: dict[int, JustCauseAssessment] = field(default_factory=dict)
    # the internal packet only: each subject's comparable past cases (issue 17), every one named
    comparisons: dict[int, discipline.Comparison] = field(default_factory=dict)
    # each subject's administrative leave (issue 18) and the paid-leave limit it is stated against
    leave: dict[int, list[LeavePeriod]] = field(default_factory=dict)
    leave_limit: int = 15
    hold: LegalHold | None = None  # the internal packet only: the legal hold standing when it was printed
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict, repr=False)
    originals: dict[str, tuple[bytes, datetime]] = field(default_factory=dict, repr=False)

    @property
    def case(self) -> Case:
        return self.file.case

    @property
    def as_of_date(self) -> date:
        return clock.local_date(self.as_of)

    def shows_discipline_of(self, subject_id: int) -> bool:
        """Whether this copy shows the subject's prior discipline, proposal and labor-relations record: the
        public release shows no one's prior discipline, the employee's copy only the employee's own."""
        if self.rules.masks_other_subjects and subject_id != self.own_subject_id:
            return False
        return True

    def shows_prior_of(self, subject_id: int) -> bool:
        return self.shows_discipline_of(subject_id) and not self.rules.masks_prior_discipline

    def leave_standing(self, subject_id: int) -> records.LeaveStanding:
        """The paid days of the subject's ended leave periods against the limit (a running period is printed
        as running: the packet prints the same on any day)."""
        ended = [p for p in self.leave.get(subject_id, []) if p.ends_on is not None]
        last = max((p.ends_on for p in ended if p.ends_on is not None), default=date.min)
        return records.standing_of(ended, last, self.leave_limit, 0)


def _custody(case: Case, until: datetime) -> list[AuditEvent]:
    """Custody events of the case's exhibits (a withdrawn one is in no packet) up to the moment the case
    reached its content version."""
    ids = [str(e.id) for e in evidence.exhibits_of(case) if not e.is_withdrawn]
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "exhibit", AuditEvent.object_id.in_(ids), AuditEvent.occurred_at <= until)
            .order_by(AuditEvent.occurred_at, AuditEvent.id)
            .options(selectinload(AuditEvent.actor))
        )
    )


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def _own_subject(file: CaseFile, rules: Variant, subject_id: int | None) -> int | None:
    """The subject whose own file the employee / union copy is: the one named, or the case's only subject."""
    ids = [sf.subject.id for sf in file.subjects]
    if not rules.masks_other_subjects:
        return None
    if subject_id is None and len(ids) <= 1:
        return ids[0] if ids else None
    if subject_id not in ids:
        raise PacketRefused(
            f"The {rules.label.lower()} is one employee's own file: choose which subject of the case it is for."
        )
    return subject_id


def _masked(case: Case, file: CaseFile, rules: Variant, own: int | None) -> list[Identifier]:
    """What this variant masks: the protected people; another subject's name and number (the employee's copy);
    every employee number (the public release)."""
    if not rules.masks_identifiers:
        return []
    masked = casework.protected_identifiers(case)  # the reporter and every protected person of the case
    for sf in file.subjects:
        employee = sf.subject.employee
        if rules.masks_other_subjects and sf.subject.id != own:
            name = f"{employee.first_name} {employee.last_name}"  # also masks "Last, First" and the surname
            masked += [Identifier("name", name), Identifier("number", employee.employee_number)]
        elif rules.masks_employee_numbers:
            masked.append(Identifier("number", employee.employee_number))
    return masked


def gather(
    case: Case,
    variant: str,
    evidence_dir: str,
    bates_prefix: str,
    progress: Progress = _no_progress,
    *,
    recipient: str = "",
    subject_id: int | None = None,
    pdf_limits: evidence.PdfLimits | None = None,
    media_tools: evidence.MediaLimits | None = None,
    leave_limit: int = 15,
) -> PacketData:
    rules = variant_named(variant)
    if rules is None:
        raise PacketRefused(f"Unknown packet variant {variant!r}: full, redacted or public.")
    as_of = case.content_changed_at or case.updated_at
    on = clock.local_date(as_of)
    file = case_file(case)
    own = _own_subject(file, rules, subject_id)
    data = PacketData(
        file=file,
        variant=variant,
        rules=rules,
        recipient=recipient.strip(),
        own_subject_id=own,
        bates_prefix=bates_prefix,
        as_of=as_of,
        exhibits=[],
        custody=_custody(case, as_of),
        prior={s.subject.id: discipline.weighed_priors(s.subject) for s in file.subjects},
        deadlines=case_deadlines(case, on),
        masked=_masked(case, file, rules, own),
    )
    data.window = release_window(case) if rules.needs_release_notice else None
    data.prior = {k: v for k, v in data.prior.items() if data.shows_prior_of(k)}
    data.deadlines = [d for d in data.deadlines if data.shows_discipline_of(d.subject.id)]
    data.leave = {
        sf.subject.id: records.leave_of(sf.subject) for sf in file.subjects if data.shows_prior_of(sf.subject.id)
    }
    data.leave_limit = leave_limit
    if variant == "full":  # a release copy names no other case
        data.comparisons = {sf.subject.id: discipline.comparable_cases(case, sf.subject, None) for sf in file.subjects}
    for letter in labor.letters_of(case):
        if data.shows_discipline_of(letter.subject_id):
            data.letters.setdefault(letter.subject_id, []).append(letter)
    if rules is INTERNAL:
        data.just_cause = casework.just_cause_of_approval(file.standing_approval)
        data.hold = records.active_hold(case.id)
    prepare_exhibits(case, rules, evidence_dir, data, progress, pdf_limits, media_tools)
    return data
