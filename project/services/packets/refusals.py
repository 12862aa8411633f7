"""Refused packets: a release copy that holds what must not go out is refused before it is kept or handed
out, and every refusal is in the audit trail and in the custody log of each exhibit the packet would hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from project.models import Case
from project.services import evidence
from project.services.audit import Actor, record
from project.services.evidence import exhibits_of, sha256_of
from project.services.packets.contents import PacketData
from project.services.packets.exhibit_pages import PacketRefused
from project.services.packets.leaks import Leak, find_leaks
from project.services.packets.leaks import describe as describe_leaks
from project.transaction import committing

if TYPE_CHECKING:
    from project.services.packets.printing import PacketOrder


def unredacted_originals(case: Case, evidence_dir: str) -> list[tuple[int, bytes]]:
    """(number, print rendition of the original) of each exhibit that has a redacted copy: its original
    pixels must not be in a release packet."""
    found = []
    for exhibit in exhibits_of(case):
        if exhibit.is_image and not exhibit.is_purged and evidence.current_redaction(exhibit) is not None:
            original = evidence.open_original(exhibit, evidence_dir)
            found.append((exhibit.number, evidence.image_rendition(evidence_dir, exhibit.sha256, original)))
    return found


def refuse_leaks(case: Case, data: PacketData, pdf: bytes, evidence_dir: str, actor: Actor | None) -> None:
    """Refuse a release packet that holds a protected identifier or an unredacted original image: the
    refusal is committed to the audit trail (and the custody log of each exhibit whose image leaked)."""
    if not data.rules.checks_leaks:
        return
    leaks = find_leaks(pdf, data.masked, unredacted_originals(case, evidence_dir))
    if not leaks:
        return
    _record_refusal(case, data.variant, leaks, sha256_of(pdf), actor)
    raise PacketRefused(
        "The release packet was not handed out: it holds what must not go out: "
        + describe_leaks(leaks)
        + ". The refusal is recorded in the audit trail; tell the case's supervisor."
    )


def _record_refusal(case: Case, variant: str, leaks: list[Leak], sha256: str, actor: Actor | None) -> None:
    user = actor.user if actor else None
    address = actor.remote_addr if actor else None
    detail = {
        "variant": variant,
        "content_version": case.content_version,
        "refused_sha256": sha256,
        "leaks": [leak.as_detail() for leak in leaks],
    }
    with committing("the refusal of a leaking packet"):
        record(
            "packet.leak_refused",
            actor=user,
            object_type="case",
            object_id=case.id,
            remote_addr=address,
            case_id=case.id,
            detail=detail,
        )
        for exhibit in exhibits_of(case):
            pages = [leak.page for leak in leaks if leak.kind == "image" and leak.exhibit_number == exhibit.number]
            if pages:
                record(
                    "exhibit.leak_refused",
                    actor=user,
                    object_type="exhibit",
                    object_id=exhibit.id,
                    remote_addr=address,
                    case_id=case.id,
                    detail={"sha256": exhibit.sha256, "number": exhibit.number, "pages": pages, "packet": sha256},
                )


def record_packet_refused(case: Case, order: PacketOrder, reason: str, actor: Actor | None) -> None:
    """A custody event on each exhibit the refused packet would have held (every one not withdrawn)."""
    with committing("the refusal of a packet"):
        for exhibit in (e for e in exhibits_of(case) if not e.is_withdrawn):
            record(
                "exhibit.packet_refused",
                actor=actor.user if actor else None,
                object_type="exhibit",
                object_id=exhibit.id,
                remote_addr=actor.remote_addr if actor else None,
                case_id=case.id,
                detail={"sha256": exhibit.sha256, "number": exhibit.number, "variant": order.variant, "reason": reason},
            )
