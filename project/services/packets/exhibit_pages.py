"""The exhibits of a case packet: each exhibit's print pages (its print renditions, or its confirmed redacted
copy's in the release packet), a recording's facts and a video's key frames, the original to attach, and the
entry of an exhibit that could not be rendered or whose file was purged under the retention rules."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from project.models import Exhibit
from project.services import evidence
from project.services.errors import CaseworkError
from project.services.packets.variants import Variant

if TYPE_CHECKING:
    from project.models import Case
    from project.services.packets.contents import PacketData

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


def prepare_exhibits(
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
