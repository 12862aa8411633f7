"""The packet and the case page carry the record issue 14 asks for: the supervisor's modification beside the
investigator's proposal, the pre-disciplinary meeting, the decision-maker and every letter issued, with a
backdated letter flagged."""

from __future__ import annotations

from datetime import date

from flask import current_app

from project.services import casework, discipline, labor
from tests.factories import PASSWORD, answer_just_cause
from tests.unit.test_packets import pages_text, render

TODAY = date(2026, 3, 2)


def modified_and_approved(world):
    """A case proposed at a written reprimand, modified at review to a 3-day suspension, then approved."""
    case = world.proposed("written_reprimand")
    casework.submit_for_review(case, world.actor(world.investigator))
    subject = case.subjects[0]
    modified = discipline.ProposalInput("suspension", 3, "The keypad code put the sally port at risk.")
    discipline.modify_proposal_at_review(case, subject, modified, world.actor(world.supervisor))
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Modified: see the reason.", modified=True)
    return case


def whole_text(case) -> str:
    return " ".join(pages_text(render(case).pdf)).replace("\n", " ")


def test_the_packet_keeps_the_proposal_and_names_the_modification_the_review_stands_on(world, frozen_clock):
    case = modified_and_approved(world)
    text = whole_text(case)
    assert "Proposed Written reprimand" in text
    assert "Modified at review Suspension, 3 days, by Sue Supervisor" in text
    assert "because The keypad code put the sally port at risk." in text
    assert "Discipline the review stands on Suspension, 3 days (the supervisor's modification" in text


def test_the_case_page_shows_the_modification_beside_the_proposal(world, frozen_clock, client, sign_in):
    case = modified_and_approved(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Proposed discipline: <strong>Written reprimand</strong>" in page
    assert "Modified at review by Sue Supervisor" in page and "<strong>Suspension (3 days)</strong>" in page
    assert "the proposal above is kept as the investigator made it" in page


def test_the_packet_holds_the_meeting_the_decision_maker_and_flags_a_backdated_letter(world, frozen_clock):
    case = modified_and_approved(world)
    world.labor_record(
        case,
        meeting_on=TODAY,
        meeting_place="Warden's conference room",
        union_rep_name="Pat Steward",
        union_rep_union="AFSCME Local 1565",
        employee_response="Said the code was already changed.",
        decision_on=TODAY,
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=date(2026, 3, 16),
    )
    frozen_clock.advance(days=3)
    order = labor.LetterOrder("notice_of_discipline", TODAY, "Signed by the appointing authority on 3/2.")
    actor = world.actor(world.labor)
    letter, _ = labor.print_letter(case, case.subjects[0], order, actor, current_app.config["EVIDENCE_DIR"])
    text = whole_text(case)
    assert "Warden's conference room" in text and "Pat Steward, AFSCME Local 1565" in text
    assert "Said the code was already changed." in text
    assert f"by {world.appointing.name} (appointing authority)" in text
    assert "Letters issued" in text and "dated 2026-03-02, issued 2026-03-05" in text
    assert "BACKDATED: dated before the day it was issued, because Signed by the appointing authority on 3/2." in text
    assert letter.sha256 in text.replace(" ", "")
