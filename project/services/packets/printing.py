"""Case packets: rendering the PDF labor relations prints, keeping it, and recording every printing.

The PDF holds nothing that changes from one printing to the next (no printing time, no printer), so the
same case content and variant render to the same bytes; who printed it and when go to the audit trail
and the custody log. A rendered packet is kept under EVIDENCE_DIR/packets by the hash of everything that
went into it, so a reprint of an unchanged case costs a file read.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app, has_app_context
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from project import ROOT, clock, metrics, permissions
from project.extensions import db
from project.models import Case, PacketPrint
from project.services import casework, evidence, masking
from project.services.audit import Actor, record
from project.services.errors import InvalidInput
from project.services.evidence import exhibits_of, sha256_of
from project.services.packets.contents import REDACTED, PacketData, gather
from project.services.packets.direction import base_direction
from project.services.packets.exhibit_pages import PacketRefused, Progress
from project.services.packets.kept_copies import content_key, kept_packet, kept_page_count, kept_path
from project.services.packets.notices import release_refusal
from project.services.packets.refusals import record_packet_refused, refuse_leaks
from project.services.packets.variants import variant_named
from project.template_cache import bytecode_cache
from project.transaction import committing

PDF_VARIANTS = (None, "pdf/a-3b")
PDF_IDENTIFIER = b"casefile-packet"

__all__ = ["PacketRefused", "RenderedPacket", "print_packet", "render_packet"]


FONT_EPOCH = "1543795200"  # 2018-12-03, AD 2.26's effective date: the date stamped in embedded emoji fonts


@pass_context
def _masked_as_printed(context: Context, value: Any) -> Any:
    """Every value the template prints, with the packet's protected identifiers (``p.masked``: the redacted
    variant's) masked, found by ``masking`` on the very string printed, so no position comes from a transformed
    copy. A template rendered without its packet ``p`` fails rather than print unmasked."""
    masked = context["p"].masked
    if masked and isinstance(value, str) and not isinstance(value, Markup):
        return masking.mask(value, masked, REDACTED)
    return value


def _templates() -> Environment:
    return _environment(current_app.instance_path if has_app_context() else None)


@cache
def _environment(instance_path: str | None) -> Environment:
    """The packet's templates, compiled once per process, and kept compiled in the instance folder for the next
    process (compiling them cost every ``flask packet`` 0.28 s, reprints included)."""
    env = Environment(
        loader=FileSystemLoader(str(ROOT / "templates" / "pdf")),
        bytecode_cache=bytecode_cache(instance_path) if instance_path else None,
        autoescape=select_autoescape(default=True, default_for_string=True),
        finalize=_masked_as_printed,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["localtime"] = _local_time
    env.filters["hash_lines"] = _hash_lines
    env.filters["direction"] = base_direction
    env.globals |= {
        "speech_questions": casework.QUESTIONS,
        "obtained_labels": casework.OBTAINED_LABELS,
        "just_cause_tests": casework.JUST_CAUSE_TESTS,
        "just_cause_standard": casework.JUST_CAUSE_STANDARD,
    }
    return env


def _fix_font_timestamps() -> None:
    """WeasyPrint rewrites a colour emoji font with fontTools, which stamps it with the time of printing, so the
    same content printed a second later gave other bytes. fontTools takes the reproducible-builds variable
    SOURCE_DATE_EPOCH instead when it is set: set it (once, to a fixed date) unless the environment has."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_EPOCH)


def _hash_lines(sha256: str) -> Markup:
    """A SHA-256 in four lines of sixteen hex digits, for a narrow table column."""
    return Markup("<br>").join(sha256[i : i + 16] for i in range(0, len(sha256), 16))


def _local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    return value.astimezone(clock.zone()).strftime(fmt) if value else ""


@dataclass(frozen=True)
class RenderedPacket:
    pdf: bytes
    sha256: str
    page_count: int
    cache_key: str
    from_cache: bool
    included: frozenset[int] = frozenset()  # the ids of the exhibits the packet holds


@dataclass(frozen=True)
class PacketOrder:
    """Which packet: ``variant`` a code of ``variants.VARIANTS`` ("full": internal, "redacted": the employee /
    union copy, "public": the FOIA release), ``pdf_variant`` None for a plain PDF or "pdf/a-3b" for the
    archival form, ``recipient`` who gets it ("union, grievance step 2", "FOIA request 2026-114"; required
    for a release), ``subject_id`` the subject whose own file the employee / union copy is (needed only when
    the case has more than one)."""

    variant: str
    pdf_variant: str | None = None
    recipient: str = ""
    subject_id: int | None = None


@dataclass(frozen=True)
class PrintSettings:
    """Where the evidence store is (exhibits in, cached packets out) and the prefix of the Bates numbers."""

    evidence_dir: str
    bates_prefix: str
    pdf_limits: evidence.PdfLimits = field(default_factory=evidence.PdfLimits)  # how far a PDF exhibit may go
    media_tools: evidence.MediaLimits = field(default_factory=evidence.MediaLimits)  # ffmpeg, for key frames
    paid_leave_limit: int = 15  # PAID_LEAVE_LIMIT_DAYS: the packet states the subjects' leave against it

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PrintSettings:
        return cls(
            config["EVIDENCE_DIR"],
            config["BATES_PREFIX"],
            evidence.PdfLimits.from_config(config),
            evidence.MediaLimits.from_config(config),
            int(config.get("PAID_LEAVE_LIMIT_DAYS", 15)),
        )


@dataclass(frozen=True)
class PrintRun:
    """How a printing runs: ``via`` names where it was asked for (web, job, cli) in the audit trail;
    ``progress`` hears how far it is; ``keep(pdf, sha256)`` stores the person's copy before the commit;
    ``recorded(printing)`` writes what must be stored with the printing, in its transaction (a job's "done")."""

    via: str = "web"
    progress: Progress | None = None
    keep: Callable[[bytes, str], None] | None = None
    recorded: Callable[[PacketPrint], None] | None = None


def render_packet(
    case: Case,
    order: PacketOrder,
    settings: PrintSettings,
    progress: Progress | None = None,
    actor: Actor | None = None,
) -> RenderedPacket:
    """The packet's PDF, rendered, or read back when the same content was rendered before. ``progress``
    hears (steps done, steps in all, what is happening) as the exhibits are checked and the pages laid out.

    A release ("redacted") packet is checked for leaks before it is kept or returned (see ``leaks``): a hit
    refuses it with ``PacketRefused`` naming what leaked and where, after committing a ``packet.leak_refused``
    audit event (and an ``exhibit.leak_refused`` custody event per exhibit whose original image leaked),
    by ``actor`` (None: the system)."""
    variant, pdf_variant, evidence_dir = order.variant, order.pdf_variant, settings.evidence_dir
    if pdf_variant not in PDF_VARIANTS:
        raise PacketRefused(f"Unknown PDF variant {pdf_variant!r}: none, or pdf/a-3b.")
    report = progress or (lambda done, total, message: None)
    data = gather(
        case,
        variant,
        evidence_dir,
        settings.bates_prefix,
        report,
        recipient=order.recipient,
        subject_id=order.subject_id,
        pdf_limits=settings.pdf_limits,
        media_tools=settings.media_tools,
        leave_limit=settings.paid_leave_limit,
    )
    steps = len(data.exhibits) + 2
    html = _templates().get_template("packet.html").render(p=data)
    key = content_key(html, data, pdf_variant)
    cached = kept_path(evidence_dir, key)
    kept = evidence.DerivedFiles(evidence_dir)
    pdf = kept_packet(case, kept, cached, key, actor)
    if pdf is not None:
        refuse_leaks(case, data, pdf, settings.evidence_dir, actor)
        report(steps, steps, "Read back: this content was printed before")
        sha256 = sha256_of(pdf)
        return RenderedPacket(pdf, sha256, kept_page_count(case, pdf, sha256), key, True, _included(data))
    report(steps - 2, steps, "Laying out the pages")
    from project import pdf_engine  # WeasyPrint loads on first use, not at start-up

    started = time.perf_counter()  # the layout and the writing: the slow part, for /metrics
    with pdf_engine.collector_paused():
        pdf, pages = _laid_out(
            html, data, pdf_variant, lambda n: report(steps - 1, steps, f"Writing the PDF ({n} pages)")
        )
    metrics.observe_packet_render(variant, time.perf_counter() - started)
    if data.rules.checks_leaks:
        report(steps - 1, steps, "Checking the release copy for anything that must not go out")
    refuse_leaks(case, data, pdf, settings.evidence_dir, actor)
    kept.write("packet", cached, pdf, key)  # kept with its SHA-256, checked before it is served again
    report(steps, steps, "Done")
    return RenderedPacket(pdf, sha256_of(pdf), pages, key, False, _included(data))


def _laid_out(
    html: str, data: PacketData, pdf_variant: str | None, writing: Callable[[int], None]
) -> tuple[bytes, int]:
    """The packet's PDF and its number of pages; ``writing`` hears the pages once they are laid out."""
    from project import pdf_engine

    document = pdf_engine.HTML(string=html, url_fetcher=pdf_engine.PacketFetcher(data.images), base_url=None).render()
    attachments = [  # dated by the upload, not by the printing, so the same content gives the same bytes
        pdf_engine.Attachment(
            string=content,
            name=name,
            description=f"Original exhibit file, SHA-256 {name}",
            created=uploaded,
            modified=uploaded,
            relationship="Source",
        )
        for name, (content, uploaded) in sorted(data.originals.items())
    ]
    writing(len(document.pages))
    _fix_font_timestamps()
    pdf = document.write_pdf(attachments=attachments, pdf_variant=pdf_variant, pdf_identifier=PDF_IDENTIFIER)
    return pdf, len(document.pages)


def _included(data: PacketData) -> frozenset[int]:
    return frozenset(x.exhibit.id for x in data.exhibits)


def check_order(case: Case, order: PacketOrder, user: Any) -> None:
    """Refuse a packet this person may not print (``user`` None: the CLI, which answers to whoever runs the
    server), a release without its recipient, and a public release before its notice window has passed."""
    rules = variant_named(order.variant)
    if rules is None:
        raise PacketRefused(f"Unknown packet variant {order.variant!r}: full, redacted or public.")
    if user is not None:
        permissions.require(
            permissions.can_print_packet(user, case),
            "Only labor relations and supervisors print packets, of approved cases.",
        )
        permissions.require(
            rules.may_print(user, case),
            f"You may not print the {rules.label.lower()}: it names the reporter, whom your role may not see.",
        )
    if rules.needs_recipient and not order.recipient.strip():
        raise InvalidInput(
            {
                "recipient": f'Say who receives the {rules.label.lower()} (e.g. "union, grievance '
                'step 2" or "FOIA request 2026-114").'
            }
        )
    if len(order.recipient.strip()) > 200:
        raise InvalidInput({"recipient": "The recipient is at most 200 characters."})
    if rules.needs_release_notice:
        refusal = release_refusal(case, clock.local_date(clock.now()))
        if refusal:
            raise PacketRefused(refusal)


def print_packet(
    case: Case, order: PacketOrder, actor: Actor | None, settings: PrintSettings, run: PrintRun | None = None
) -> tuple[PacketPrint, bytes]:
    """Render (or reuse) the packet and record the printing: the packet's hash, variant and case version
    in the audit trail, and a packet-inclusion custody event for each exhibit. ``actor`` None: the CLI.
    ``run.keep(pdf, sha256)`` stores the copy the person will get before the printing is committed, so a
    printing that could not be kept is not recorded either."""
    run = run or PrintRun()
    variant, pdf_variant, via, keep = order.variant, order.pdf_variant, run.via, run.keep
    try:
        check_order(case, order, actor.user if actor is not None else None)
        rendered = render_packet(case, order, settings, run.progress, actor)
    except PacketRefused as refused:
        record_packet_refused(case, order, str(refused), actor)
        raise
    user = actor.user if actor else None
    address = actor.remote_addr if actor else None
    printing = PacketPrint(
        case_id=case.id,
        variant=variant,
        pdf_variant=pdf_variant,
        content_version=case.content_version,
        sha256=rendered.sha256,
        size_bytes=len(rendered.pdf),
        page_count=rendered.page_count,
        printed_by_id=user.id if user else None,
        printed_at=clock.now(),
        recipient=order.recipient.strip() or None,
    )
    with committing("this packet"):
        db.session.add(printing)
        db.session.flush()
        detail = {
            "sha256": rendered.sha256,
            "variant": variant,
            "pdf_variant": pdf_variant,
            "content_version": case.content_version,
            "pages": rendered.page_count,
            "via": via,
            "reprint": rendered.from_cache,
            "recipient": order.recipient.strip(),
        }
        record(
            "packet.printed",
            actor=user,
            object_type="packet",
            object_id=printing.id,
            remote_addr=address,
            case_id=case.id,
            detail=detail,
        )
        for exhibit in (e for e in exhibits_of(case) if e.id in rendered.included):  # not withdrawn or withheld
            record(
                "exhibit.packet_included",
                actor=user,
                object_type="exhibit",
                object_id=exhibit.id,
                remote_addr=address,
                case_id=case.id,
                detail={"sha256": exhibit.sha256, "packet_sha256": rendered.sha256, "variant": variant},
            )
        if keep is not None:
            keep(rendered.pdf, rendered.sha256)
        if run.recorded is not None:
            run.recorded(printing)
    return printing, rendered.pdf
