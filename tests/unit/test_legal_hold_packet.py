"""A legal hold in the packet (issue 18): the internal packet says the case is held, by whom, since when and
why; no copy that leaves the department (the employee / union copy, the public release) mentions it."""

from __future__ import annotations

from project.services import records
from tests.unit.test_packet_variants import text_of


def test_the_internal_packet_names_the_hold_and_no_release_copy_does(world, frozen_clock):
    case = world.approved()
    records.place_hold(case, "Doe v. DOC, preservation letter.", world.actor(world.supervisor))
    internal = " ".join(text_of(case, "full").split())
    assert (
        f"Legal hold Placed by {world.supervisor.name} on 2026-03-02: Doe v. DOC, preservation letter. "
        "No retention run seals or purges this case's records while the hold stands."
    ) in internal
    for variant in ("redacted", "public"):
        copy = " ".join(text_of(case, variant).split())
        assert "Legal hold" not in copy and "preservation letter" not in copy, variant


def test_a_lifted_hold_is_not_in_the_packet(world, frozen_clock):
    case = world.approved()
    records.place_hold(case, "Doe v. DOC.", world.actor(world.supervisor))
    records.lift_hold(case, "Settled.", world.actor(world.supervisor))
    assert "Legal hold" not in text_of(case, "full")
