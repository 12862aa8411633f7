"""Demo data for `flask seed --demo`: accounts of every role, a roster and cases in every state.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.demo.screenshots import post_screenshot
from project.demo.seed import DemoRefused, EvidenceSettings, seed_demo

__all__ = [
    "DemoRefused",
    "EvidenceSettings",
    "post_screenshot",
    "seed_demo",
]
