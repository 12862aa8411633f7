"""What a notice of discipline must carry (issue 14, part 6): the charges with the posts charged, the penalty
and its dates (never "to be confirmed"), the right to representation, the appeal rights of the employee's
bargaining unit (RCSA 5-240-8a(a)), the fixed rebuttal statement (C.G.S. 31-128e), the appointing
authority's signature, the directive's catalogue title, no internal note numbers; wording versions that
cannot drop any of it; a signature block that never sits alone on a page. Today is 2026-03-02."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from project.commands import SEED_DIR
from project.extensions import db
from project.models import LetterTemplate
from project.services import casework, catalogue, labor, roster
from project.services.errors import InvalidInput
from tests.unit.test_letters import case_for_letters, pdf_text, print_as_labor

TODAY = date(2026, 3, 2)
OLD_NOTICE_BODY = """{employee_name}
{employee_title}, {facility}
Employee number {employee_number}

Re: Case {case_number}

Dear {employee_name}:

This is written notice of the discipline imposed on you following the investigation in case {case_number}, \
in which the following charges under Administrative Directive 2.26, Employee Social Media, were sustained:

{charges}

On {decision_date} the Department decided to impose the following discipline under Administrative Directive \
2.6, Employee Discipline: {discipline}.

The discipline takes effect {effective_date}.

You may submit a written rebuttal to this notice. Your rebuttal will be kept with the record of this discipline.

{signer_name}
Labor Relations
Department of Correction"""


def decided(world, case, **changes):
    fields = {
        "meeting_on": TODAY,
        "decision_on": TODAY,
        "imposed_step": "suspension",
        "imposed_suspension_days": 3,
        "effective_on": date(2026, 3, 9),
    }
    return world.labor_record(case, **(fields | changes))


def employee_in_unit(world, unit: str):
    roster.import_roster(
        "employee_number,last_name,first_name,title,facility,bargaining_unit,hire_date\n"
        f"E90001,Outside,Robin,Correction Officer,Cheshire CI,{unit},2015-01-05\n"
    )
    return casework.find_employee("E90001")


def test_the_notice_states_posts_rights_rebuttal_and_is_signed_by_the_decision_maker(app, world, frozen_clock):
    case = case_for_letters(world)
    decided(world, case)
    letter, pdf = print_as_labor(app, world, case, "notice_of_discipline")
    text = pdf_text(pdf)
    posted = case.posts[0].posted_at
    for expected in (
        "the following charges under Administrative Directive 2.26, Social Media, were sustained",
        f'Post: Facebook, @co_pat, {posted:%B} {posted.day}, {posted.year}: "Look at these keys lol"',
        "Charge 1: AD 2.26 section 5.b.i.2",
        "The discipline takes effect on March 9, 2026: the suspension of 3 days begins then.",
        "Your rights of appeal. You may grieve this action under the grievance and arbitration procedure of the "
        "collective bargaining agreement for the NP-4 (Corrections) bargaining unit",
        "Representation. You have the right to be represented by your union",
        f"Rebuttal. {labor.REBUTTAL_STATEMENT}",
        "Ari Appointing Appointing Authority Department of Correction",
    ):
        assert expected in text, expected
    for absent in ("Employee Social Media", "Lou Labor", "to be confirmed", "2.6, Employee Discipline"):
        assert absent not in text, absent
    assert letter.printed_by_id == world.labor.id  # the printer is recorded, but the decision-maker signs


def test_appeal_rights_follow_the_bargaining_unit_with_their_source(app, world, frozen_clock):
    union = labor.rights_of(" np-4  corrections ")
    assert union is not None and union.source_label == "department setting (not yet confirmed by anyone)"
    outside = labor.rights_of("")
    assert outside is not None and outside.source_label == "C.G.S. 5-202"
    assert labor.rights_of("NP-99 Unknown") is None
    case = case_for_letters(world)
    # the roster's employee without a unit: the Employees' Review Board
    case = world.approved_with_discipline(step="suspension", days=3, employee=employee_in_unit(world, ""))
    decided(world, case)
    text = pdf_text(print_as_labor(app, world, case, "notice_of_discipline")[1])
    assert "appeal this action to the Employees' Review Board under section 5-202" in text
    other = world.approved_with_discipline(step="suspension", days=3, employee=world.employees.make())
    other.subjects[0].employee.bargaining_unit = "NP-99 Unknown"
    decided(world, other)
    with pytest.raises(InvalidInput) as refused:  # a union member is never told they have no union
        print_as_labor(app, world, other, "notice_of_discipline")
    assert "No appeal rights are on file for the bargaining unit 'NP-99 Unknown'" in refused.value.errors["kind"]


def test_a_notice_needs_its_decision_and_effective_date(app, world, frozen_clock):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=TODAY, imposed_step="suspension", imposed_suspension_days=3)
    with pytest.raises(InvalidInput) as refused:
        print_as_labor(app, world, case, "notice_of_discipline")
    assert set(refused.value.errors) == {"decision_on", "effective_on"}
    assert "signed by the decision-maker" in refused.value.errors["decision_on"]


@pytest.mark.parametrize(
    "placeholder",
    ["rebuttal_statement", "appeal_rights", "representation", "signer_name", "signer_title", "directive"],
)
def test_a_saved_version_cannot_drop_what_the_notice_must_state(world, placeholder):
    current = catalogue.latest_template("notice_of_discipline")
    with pytest.raises(InvalidInput) as refused:
        catalogue.save_template(
            "notice_of_discipline",
            current.title,
            current.body.replace("{" + placeholder + "}", ""),
            world.actor(world.labor),
            current.version,
        )
    assert "{" + placeholder + "}" in refused.value.errors["body"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("under Administrative Directive 2.26, Employee Social Media", 'The directive is "Social Media"'),
        ("as recorded in Note 3 of the file", "cannot cite the case file's internal note numbers"),
    ],
)
def test_wording_cannot_carry_the_old_title_or_note_numbers(world, typed, message):
    current = catalogue.latest_template("notice_of_discipline")
    with pytest.raises(InvalidInput) as refused:
        catalogue.save_template(
            "notice_of_discipline", current.title, current.body + "\n\n" + typed, world.actor(world.labor), 1
        )
    assert message in refused.value.errors["body"]


def test_a_letter_never_prints_internal_note_numbers(app, world, frozen_clock):
    case = case_for_letters(world, reasoning="Per Note 3 and note #4, the keypad is legible (see Notes 5, 6).")
    decided(world, case)
    text = pdf_text(print_as_labor(app, world, case, "notice_of_discipline")[1])
    assert "Per the investigation record, the keypad is legible (see the investigation record)." in text
    assert "Note 3" not in text and "note #4" not in text and "Notes 5" not in text
    assert labor.without_note_references("Noted 3 times; footnote 2") == "Noted 3 times; footnote 2"


def test_the_seed_upgrades_only_an_unedited_old_default(app, world):
    kind = "notice_of_discipline"
    first = catalogue.latest_template(kind)
    first.title, first.body = "Notice of Discipline", OLD_NOTICE_BODY  # a database seeded before the fix
    db.session.commit()
    catalogue.load_catalogue(SEED_DIR)
    versions = catalogue.template_versions(kind)
    assert [t.version for t in versions] == [2, 1]
    assert "{rebuttal_statement}" in versions[0].body and versions[0].updated_by_id is None
    assert versions[1].body == OLD_NOTICE_BODY  # kept: printed letters name it
    catalogue.load_catalogue(SEED_DIR)
    assert len(catalogue.template_versions(kind)) == 2  # idempotent
    meeting = catalogue.latest_template("pre_disciplinary_notice")
    meeting.body = meeting.body.replace("{directive}", "Administrative Directive 2.26, Employee Social Media")
    meeting.updated_by_id = world.labor.id  # an edit by labor relations: never replaced
    db.session.commit()
    catalogue.load_catalogue(SEED_DIR)
    assert [t.version for t in catalogue.template_versions("pre_disciplinary_notice")] == [1]
    stored = db.session.scalars(select(LetterTemplate.id).where(LetterTemplate.kind == kind)).all()
    assert sorted(stored) == sorted(t.id for t in versions)


@pytest.mark.parametrize("sentences", [30, 34, 38, 42, 46, 50])
def test_the_signature_never_sits_alone_on_a_page(app, world, frozen_clock, sentences):
    reasoning = " ".join(f"Sentence {n} of the finding describes the keypad in the photo." for n in range(sentences))
    case = case_for_letters(world, reasoning=reasoning)
    decided(world, case)
    _, pdf = print_as_labor(app, world, case, "notice_of_discipline")
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    last = " ".join((pages[-1].extract_text() or "").split())
    assert "Ari Appointing" in last
    assert "Rebuttal." in last  # the closing paragraph travels with the signature
