"""What a case packet holds, gathered from the case as it stands: the sections, the exhibits with their
print renditions, and what the redacted variant masks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import AuditEvent, Case, Exhibit, JustCauseAssessment, LeavePeriod, LegalHold, Letter
from project.services import casework, discipline, evidence, labor, records
from project.services.casework import CaseFile, case_file
from project.services.deadlines import Deadline, case_deadlines
from project.services.errors import CaseworkError
from project.services.masking import Identifier
from project.services.packets.notices import ReleaseWindow, release_window
from project.services.packets.variants import INTERNAL, Variant, variant_named

REDACTED = "[REDACTED]"
log = logging.getLogger(__name__)


class PacketRefused(CaseworkError):
    """The packet cannot be printed; the message says why, naming the exhibit when one is at fault."""


@dataclass
class PacketExhibit:
    """An exhibit as the packet shows it: its rendered pages, or (``problem``) why it could not be rendered,
    in which case it takes one page that says so."""

    exhibit: Exhibit
    page_urls: list[str]
    redacted: bool
    attachment_name: str
    problem: str | None = None
    frames: list[tuple[str, float]] = field(default_factory=list)  # a video's key frames: (image URL, seconds)
    frames_note: str | None = None  # why a video has no key frames here
    purged: str | None = None  # "Purged on 2029-03-02 under evidence_not_sustained": no file to print

    @property
    def frame_times(self) -> list[str]:
        """Each key frame's moment as people say it, "0:00.1"."""
        return [f"{int(t // 60)}:{t % 60:04.1f}" for _, t in self.frames]

    @property
    def pages(self) -> list[str | None]:
        """One entry per printed page: an image URL, or None for the page that says it could not be rendered."""
        return list(self.page_urls) or [None]

    @property
    def anchor(self) -> str:
        return f"exhibit-{self.exhibit.number}"

    @property
    def last_anchor(self) -> str:
        return f"exhibit-{self.exhibit.number}-page-{len(self.pages)}"


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


def _redaction_of(exhibit: Exhibit, evidence_dir: str) -> tuple[str, bytes] | None:
    """The newest redacted working copy of an exhibit (its SHA-256 and bytes), when redaction exists."""
    current = evidence.current_redaction(exhibit)
    if current is None:
        return None
    return current.redacted_sha256, evidence.redacted_bytes(current, evidence_dir)


Progress = Callable[[int, int, str], None]


def _key_frames(
    exhibit: Exhibit, evidence_dir: str, original: bytes, tools: evidence.MediaLimits | None
) -> tuple[list[tuple[float, bytes]], str | None]:
    """A video's key frames (made once with ffmpeg and kept), or none and why: ffmpeg is off, or it could not
    draw them. Never stops the packet: the original is attached or listed with its SHA-256 either way."""
    if not exhibit.is_video:
        return [], None
    tools = tools or evidence.MediaLimits()
    if not tools.available():
        return [], f"Key frames unavailable: {evidence.FFMPEG_OFF}."
    try:
        return evidence.video_frames(
            evidence_dir, exhibit.sha256, original, exhibit.media_type, tools, exhibit.duration_ms
        ), None
    except Exception as failure:  # ffmpeg's failure, or a frame it could not draw: the file, not the packet
        log.warning("key frames of %s (%s) not made: %r", exhibit.label, exhibit.sha256, failure)
        return [], f"Key frames could not be drawn from the stored video ({failure})."


def _renditions(
    exhibit: Exhibit, evidence_dir: str, sha256: str, source: bytes, pdf_limits: evidence.PdfLimits | None
) -> tuple[list[bytes], str | None]:
    """The exhibit's print pages, or none and why: a stored file that cannot be rendered (a "PDF" that holds
    HTML, say) is shown as a page that says so, and never stops the packet. Its integrity was checked before."""
    try:
        if exhibit.is_image:
            return [evidence.image_rendition(evidence_dir, sha256, source)], None
        pages = evidence.pdf_renditions(evidence_dir, sha256, source, limits=pdf_limits)
        if not pages:
            raise ValueError("the PDF has no page")
    except evidence.PdfBeyondLimits as beyond_limits:  # too many pages, too large, too slow or too big to read
        log.warning("%s (%s) of case %s not rendered: %s", exhibit.label, sha256, exhibit.case_id, beyond_limits)
        return [], (
            f"The stored PDF could not be rendered for printing: {beyond_limits} "
            "The original is kept unchanged in the evidence store under the SHA-256 below."
        )
    except Exception as failure:  # any decoder's error: the file, not the packet, is at fault
        log.warning("%s (%s) of case %s cannot be rendered: %r", exhibit.label, sha256, exhibit.case_id, failure)
        kind = "image" if exhibit.is_image else "PDF"
        return [], (
            f"The stored file could not be rendered for printing: it is not a readable {kind} "
            f"({exhibit.media_type}). The original is kept unchanged in the evidence store under the SHA-256 below."
        )
    return pages, None


def _media_exhibit(
    exhibit: Exhibit, evidence_dir: str, original: bytes, tools: evidence.MediaLimits | None, data: PacketData
) -> PacketExhibit:
    """An audio or video exhibit as the packet shows it: its facts and transcript, and a video's key frames."""
    extension = evidence.EXTENSIONS[exhibit.media_type].lstrip(".")
    frames, note = _key_frames(exhibit, evidence_dir, original, tools)
    shown = PacketExhibit(exhibit, [], False, f"{exhibit.sha256}.{extension}", frames_note=note)
    for index, (moment, jpeg) in enumerate(frames, start=1):
        url = f"casefile:exhibit/{exhibit.number}/frame/{index}"
        data.images[url] = (jpeg, "image/jpeg")
        shown.frames.append((url, moment))
    return shown


def _print_source(
    exhibit: Exhibit, review: evidence.ReleaseState | None, original: bytes, evidence_dir: str
) -> tuple[str, bytes, bool]:
    """What the exhibit's pages are drawn from: (SHA-256, bytes, whether redacted), its confirmed redacted copy
    when its release review says so, else the verified original."""
    if review is None or review.state != "redacted":
        return exhibit.sha256, original, False
    try:
        copy = _redaction_of(exhibit, evidence_dir)
    except evidence.EvidenceTampered as exc:
        raise PacketRefused(f"The packet was not printed: {exc}") from exc
    if copy is None:  # a "redacted" review always names a copy, and copies are deleted only by a purge
        raise PacketRefused(f"The packet was not printed: {exhibit.label} has no redacted copy.")
    return copy[0], copy[1], True


def _purged_exhibit(exhibit: Exhibit) -> PacketExhibit:
    """A purged exhibit's entry: its facts and SHA-256, and when and under which rule its file was deleted."""
    note = evidence.purged_note(exhibit)
    why = f"{note}: the file was deleted under the retention rules; its SHA-256 is kept below."
    return PacketExhibit(exhibit, [], False, "", why, purged=note.lower())


def _release_choices(exhibits: list[Exhibit]) -> dict[int, evidence.ReleaseState]:
    """Each exhibit's release review, by id; refuses the release packet naming every exhibit not reviewed."""
    states = evidence.release_states(exhibits)
    missing = [s.exhibit.label for s in states if s.needs_review]
    if missing:
        raise PacketRefused(
            "The release packet was not printed: "
            + "; ".join(f"{label} has not been reviewed for release" for label in missing)
            + ". Review each on its exhibit page (redacted, releasable as it is, or withheld)."
        )
    return {s.exhibit.id: s for s in states}


def _exhibits(
    case: Case,
    variant: Variant,
    evidence_dir: str,
    data: PacketData,
    progress: Progress,
    pdf_limits: evidence.PdfLimits | None = None,
    media_tools: evidence.MediaLimits | None = None,
) -> None:
    """The exhibits that go into the packet: never a withdrawn one; in the release packet, each as its review
    says (its confirmed redacted copy, or as it is), a withheld one left out with its reason."""
    exhibits = [e for e in evidence.exhibits_of(case) if not e.is_withdrawn]
    kept = [e for e in exhibits if not e.is_purged]  # a purged one is printed as such: nothing to review
    reviews = _release_choices(kept) if variant.needs_release_review else {}
    for index, exhibit in enumerate(exhibits, start=1):
        progress(index - 1, len(exhibits) + 2, f"Checking and preparing {exhibit.label} of {len(exhibits)}")
        if exhibit.is_purged:
            data.exhibits.append(_purged_exhibit(exhibit))
            continue
        review = reviews.get(exhibit.id)
        if review is not None and review.state == "withheld":
            data.withheld.append(review)
            continue
        try:
            original = evidence.open_original(exhibit, evidence_dir)
        except evidence.EvidenceTampered as exc:
            raise PacketRefused(f"The packet was not printed: {exc}") from exc
        extension = evidence.EXTENSIONS[exhibit.media_type].lstrip(".")
        if variant.attaches_originals:
            data.originals[f"{exhibit.sha256}.{extension}"] = (original, exhibit.uploaded_at)
        if exhibit.is_media:
            data.exhibits.append(_media_exhibit(exhibit, evidence_dir, original, media_tools, data))
            continue
        source_sha, source, redacted = _print_source(exhibit, review, original, evidence_dir)
        renditions, problem = _renditions(exhibit, evidence_dir, source_sha, source, pdf_limits)
        urls = []
        for page, rendition in enumerate(renditions, start=1):
            url = f"casefile:exhibit/{exhibit.number}/page/{page}"
            data.images[url] = (rendition, "image/jpeg")
            urls.append(url)
        data.exhibits.append(PacketExhibit(exhibit, urls, redacted, f"{exhibit.sha256}.{extension}", problem))


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
    _exhibits(case, rules, evidence_dir, data, progress, pdf_limits, media_tools)
    return data
