"""Letter wording: seeded once, versioned on each save, placeholders checked, edited only by labor relations."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, LetterTemplate
from project.permissions import NotPermitted
from project.services import catalogue, labor
from project.services.errors import InvalidInput, StaleEdit
from tests.unit.test_letters import case_for_letters, evidence_dir, pdf_text, print_as_labor


def test_the_seed_loads_version_1_of_each_letter_once_and_never_over_an_edit(app, world):
    assert [(t.kind, t.version) for t in db.session.scalars(select(LetterTemplate).order_by(LetterTemplate.kind))] == [
        ("notice_of_discipline", 1),
        ("pre_disciplinary_notice", 1),
    ]
    edited = catalogue.latest_template("notice_of_discipline")
    catalogue.save_template(
        "notice_of_discipline",
        "Notice of Discipline (edited)",
        edited.body + "\n\nEdited.",
        world.actor(world.labor),
        1,
    )
    from project.commands import SEED_DIR

    report = catalogue.load_catalogue(SEED_DIR)
    assert "LetterTemplate" not in report.created
    assert [t.version for t in catalogue.template_versions("notice_of_discipline")] == [2, 1]
    assert catalogue.latest_template("notice_of_discipline").title == "Notice of Discipline (edited)"


def test_each_save_is_a_new_audited_version(world):
    kind = "pre_disciplinary_notice"
    first = catalogue.latest_template(kind)
    saved = catalogue.save_template(
        kind, "Notice of Meeting", first.body.replace("Dear", "To"), world.actor(world.labor), first.version
    )
    assert (saved.version, saved.updated_by_id) == (2, world.labor.id)
    db.session.refresh(first)
    assert first.version == 1 and "Dear" in first.body  # the earlier version is untouched
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "letter_template.saved")).one()
    assert event.detail == {"kind": kind, "version": 2, "previous_version": 1, "title": "Notice of Meeting"}
    with pytest.raises(StaleEdit):  # saved against version 1 again: someone else's version 2 is not overwritten
        catalogue.save_template(kind, "Another", first.body, world.actor(world.labor), 1)


def test_unknown_placeholders_are_refused_with_the_list_of_known_ones(world):
    body = catalogue.latest_template("pre_disciplinary_notice").body + "\n\nSee {employe_name}, {0}, {case_number.x}"
    with pytest.raises(InvalidInput) as refused:
        catalogue.save_template("pre_disciplinary_notice", "T", body, world.actor(world.labor), 1)
    message = refused.value.errors["body"]
    assert message.startswith("Unknown placeholders {employe_name}, {0}, {case_number.x}.")
    assert "{employee_name}" in message and "{meeting_date}" in message and "{charges}" in message
    assert [t.version for t in catalogue.template_versions("pre_disciplinary_notice")] == [1]


@pytest.mark.parametrize(
    "body,expected",
    [
        ("{charges} {evidence_summary} {meeting_date} {case_number", "missing its pair"),
        ("{charges} {evidence_summary} {meeting_date} {case_number:>20}", "nothing else inside the braces"),
        ("{charges} {evidence_summary}", "must keep {meeting_date}"),
        ("", "Write the letter's text."),
    ],
)
def test_malformed_wording_is_refused_with_a_clear_message(world, body, expected):
    with pytest.raises(InvalidInput) as refused:
        catalogue.save_template("pre_disciplinary_notice", "T", body, world.actor(world.labor), 1)
    assert expected in refused.value.errors["body"]


def test_only_labor_relations_edits_the_wording(world):
    for user in (world.investigator, world.supervisor, world.admin):
        with pytest.raises(NotPermitted):
            catalogue.save_template("notice_of_discipline", "T", "{charges}", world.actor(user), 1)


def test_literal_braces_and_placeholders_fill_as_plain_text():
    assert catalogue.fill("{{x}} {case_number}", {"case_number": "SM-1"}) == "{x} SM-1"
    with pytest.raises(KeyError):
        catalogue.fill("{nope}", {})


def test_an_edited_wording_is_used_next_while_old_letters_keep_their_version(app, world, frozen_clock):
    case = case_for_letters(world)
    world.labor_record(case, meeting_on=date(2026, 3, 9))
    old, _ = print_as_labor(app, world, case, "pre_disciplinary_notice")
    current = catalogue.latest_template("pre_disciplinary_notice")
    catalogue.save_template(
        "pre_disciplinary_notice",
        "Notice of Pre-Disciplinary Hearing",
        current.body + "\n\nPlease bring this letter with you.",
        world.actor(world.labor),
        1,
    )
    new, pdf = print_as_labor(app, world, case, "pre_disciplinary_notice")
    text = pdf_text(pdf)
    assert "Notice of Pre-Disciplinary Hearing" in text and "Please bring this letter with you." in text
    db.session.refresh(old)
    assert (old.template.version, new.template.version) == (1, 2)
    assert old.sha256 != new.sha256 and labor.letter_bytes(old, evidence_dir(app))  # the old file is still there
