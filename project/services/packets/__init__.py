"""Case packets: what a packet holds, printing it, and the print jobs.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.packets.direction import base_direction
from project.services.packets.exhibit_pages import PacketRefused
from project.services.packets.jobs import (
    job_of,
    job_pdf,
    printable_cases,
    queue_depth,
    run_packet_job,
    settle_packet_job,
    start_packet_job,
)
from project.services.packets.notices import (
    NoticeEntry,
    ObjectionEntry,
    ReleaseWindow,
    ResolutionEntry,
    record_objection,
    record_release_notice,
    release_window,
    resolve_objection,
)
from project.services.packets.printing import PacketOrder, PrintRun, PrintSettings, print_packet, render_packet
from project.services.packets.variants import VARIANTS, Variant, variant_named, variants_for, variants_for_any

__all__ = [
    "base_direction",
    "VARIANTS",
    "NoticeEntry",
    "ObjectionEntry",
    "PacketOrder",
    "PacketRefused",
    "PrintRun",
    "PrintSettings",
    "ReleaseWindow",
    "ResolutionEntry",
    "Variant",
    "job_of",
    "job_pdf",
    "print_packet",
    "printable_cases",
    "queue_depth",
    "record_objection",
    "record_release_notice",
    "release_window",
    "render_packet",
    "resolve_objection",
    "run_packet_job",
    "settle_packet_job",
    "start_packet_job",
    "variant_named",
    "variants_for",
    "variants_for_any",
]
