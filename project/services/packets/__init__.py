"""Case packets: what a packet holds, printing it, and the print jobs.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.packets.contents import PacketRefused
from project.services.packets.jobs import job_of, job_pdf, printable_cases, start_packet_job
from project.services.packets.printing import PacketOrder, PrintRun, PrintSettings, print_packet, render_packet

__all__ = [
    "PacketOrder",
    "PacketRefused",
    "PrintRun",
    "PrintSettings",
    "job_of",
    "job_pdf",
    "print_packet",
    "printable_cases",
    "render_packet",
    "start_packet_job",
]
