"""A letter goes to the employee: the reporter and the case's protected people stay out of it, in any spelling."""

from __future__ import annotations

from datetime import date

from project.services import casework, labor
from tests.unit.test_letters import case_for_letters, pdf_text, print_as_labor


def test_a_letter_masks_the_reporter_and_a_protected_witness_named_in_the_finding(app, world, frozen_clock):
    reasoning = (
        "Officer R. Reporter (555.0100) saw the post; the witness Dana O\u2019Neil confirmed it by phone "
        "from (860) 555-0199."
    )
    case = case_for_letters(world, reasoning=reasoning)
    witness = casework.ProtectedPersonInput(role="witness", name="Dana O'Neil", phone="860-555-0199")
    casework.add_protected_person(case, witness, world.actor(world.supervisor))
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    letters = [print_as_labor(app, world, case, "pre_disciplinary_notice")]
    action = labor.labor_action_of(case.subjects[0])
    world.labor_record(
        case,
        action.row_version,
        meeting_on=date(2026, 3, 2),
        decision_on=date(2026, 3, 2),
        imposed_step="suspension",
        imposed_suspension_days=3,
        effective_on=date(2026, 3, 9),
    )
    letters.append(print_as_labor(app, world, case, "notice_of_discipline"))
    for (letter, pdf), kind in zip(letters, ("pre_disciplinary_notice", "notice_of_discipline"), strict=True):
        text = pdf_text(pdf)
        assert "saw the post; the witness [REDACTED] confirmed it by phone from [REDACTED]." in text, kind
        for spelling in ("Reporter", "555.0100", "O\u2019Neil", "O'Neil", "555-0199"):
            assert spelling not in text, (kind, spelling)
        assert letter.kind == kind and labor.letter_bytes(letter, app.config["EVIDENCE_DIR"]) == pdf
