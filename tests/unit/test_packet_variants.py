"""The packet variants and their rules: who may print each, what each masks, the recipient a release needs,
and the notice (C.G.S. 1-214) and its objection window before a public release."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import current_app
from pypdf import PdfReader
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent, PacketPrint
from project.permissions import NotPermitted
from project.services import casework, deadlines, discipline, packets
from project.services.errors import InvalidInput
from tests.factories import answer_just_cause, element_answers, screen_speech

NOTE = "Called Officer R. Reporter back at (555) 0100; she also gave 555.0100 and +1 555 0100."
HEADER = "employee_number,step,imposed_on,suspension_days,note\n"


def settings() -> packets.PrintSettings:
    return packets.PrintSettings(current_app.config["EVIDENCE_DIR"], "DOC-")


def two_subject_case(world):
    """An approved case about two employees, each with a sustained allegation and prior discipline of their
    own, and a note giving the reporter's phone in other spellings than the one on file (555-0100)."""
    case = world.open()
    investigator = world.actor(world.investigator)
    first = world.with_subject(case, world.employees.make(last_name="Ashford"))
    second = world.with_subject(case, world.employees.make(last_name="Byrne"))
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    for subject in (first, second):
        allegation = casework.frame_allegation(
            case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), investigator
        )
        screen_speech(case, allegation, world.actor(world.investigator))
        casework.record_finding(
            case,
            allegation,
            casework.FindingInput(
                "not_sustained", "No facility shown.", [], element_answers(allegation, "not_sustained")
            ),
            investigator,
            1,
        )
    casework.add_note(case, "phone_call", NOTE, investigator)
    today = clock.local_today()
    discipline.import_prior_discipline(
        HEADER
        + f"{first.employee.employee_number},written_reprimand,{today - timedelta(days=40)},,\n"
        + f"{second.employee.employee_number},written_reprimand,{today - timedelta(days=50)},,\n"
    )
    casework.submit_for_review(case, investigator)
    answer_just_cause(case, world.actor(world.supervisor))
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    return case, first, second


def text_of(case, variant: str, subject_id: int | None = None) -> str:
    order = packets.PacketOrder(variant, recipient="test", subject_id=subject_id)
    pdf = packets.render_packet(case, order, settings()).pdf
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")


def test_who_may_print_each_variant(world):
    case = world.approved()
    codes = {who: [v.code for v in packets.variants_for(getattr(world, who), case)] for who in ("supervisor", "labor")}
    assert codes == {"supervisor": ["full", "redacted", "public"], "labor": ["redacted", "public"]}
    assert packets.variants_for(world.investigator, case) == []
    # labor relations may not see the reporter, so it may not print the packet that names them
    with pytest.raises(NotPermitted):
        packets.print_packet(case, packets.PacketOrder("full"), world.actor(world.labor), settings())
    with pytest.raises(NotPermitted):
        packets.print_packet(
            case, packets.PacketOrder("redacted", recipient="x"), world.actor(world.investigator), settings()
        )
    printing, _ = packets.print_packet(case, packets.PacketOrder("full"), world.actor(world.supervisor), settings())
    assert printing.variant == "full" and printing.recipient is None


def test_a_release_needs_its_recipient_and_records_it(world):
    case = world.approved()
    with pytest.raises(InvalidInput, match="Say who receives the employee / union copy"):
        packets.print_packet(
            case, packets.PacketOrder("redacted", recipient="  "), world.actor(world.labor), settings()
        )
    assert db.session.scalars(select(PacketPrint)).all() == []
    order = packets.PacketOrder("redacted", recipient="union, grievance step 2")
    printing, pdf = packets.print_packet(case, order, world.actor(world.labor), settings())
    assert printing.recipient == "union, grievance step 2"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "packet.printed")).one()
    assert (event.detail["variant"], event.detail["recipient"]) == ("redacted", "union, grievance step 2")
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", " ")
    assert "Recipient union, grievance step 2" in cover and "Employee / union copy" in cover


def test_what_each_variant_masks(world):
    case, first, second = two_subject_case(world)
    a, b = first.employee, second.employee
    a_prior = (clock.local_today() - timedelta(days=40)).isoformat()
    b_prior = (clock.local_today() - timedelta(days=50)).isoformat()
    phones = ("555-0100", "(555) 0100", "555.0100", "+1 555 0100")

    internal = text_of(case, "full")
    assert "Officer R. Reporter" in internal and "(555) 0100" in internal
    assert a.employee_number in internal and b.employee_number in internal
    assert a_prior in internal and b_prior in internal

    own = text_of(case, "redacted", subject_id=first.id)  # Ashford's own copy
    assert "Ashford" in own and a.employee_number in own and a_prior in own  # their own file, prior included
    assert "Byrne" not in own and b.employee_number not in own and b_prior not in own  # nothing of another's
    assert "Another employee's discipline is not part of this copy." in own
    assert "Officer R. Reporter" not in own and "Ashford, Pat" in own  # the shared first name stays
    assert not any(phone in own for phone in phones)

    public = text_of(case, "public")
    assert a.employee_number not in public and b.employee_number not in public
    assert a_prior not in public and b_prior not in public and "Prior discipline is not part of this copy." in public
    assert "Officer R. Reporter" not in public and not any(phone in public for phone in phones)


def test_the_employee_copy_of_a_case_with_two_subjects_says_whose_it_is(world):
    case, first, second = two_subject_case(world)
    with pytest.raises(packets.PacketRefused, match="choose which subject"):
        packets.render_packet(case, packets.PacketOrder("redacted", recipient="union"), settings())


def test_a_public_release_waits_for_the_notice_and_its_objection_window(world):
    case = world.approved()
    labor = world.actor(world.labor)
    order = packets.PacketOrder("public", recipient="FOIA request 2026-114")
    with pytest.raises(packets.PacketRefused, match="record the notice to the employee and the union first"):
        packets.print_packet(case, order, labor, settings())

    today = clock.local_today()
    entry = packets.NoticeEntry(today, "Pat Subject1 (employee); NP-4 steward", "FOIA request 2026-114")
    packets.record_release_notice(case, entry, labor)
    window = packets.release_window(case)
    assert window is not None and window.rule.code == "foia_objection_window" and "1-214(c)" in window.rule.name
    assert sum(1 for n in range((window.ends_on - today).days) if (today + timedelta(days=n + 1)).weekday() < 5) == 7
    with pytest.raises(packets.PacketRefused, match=f"runs until {window.ends_on.isoformat()}"):
        packets.print_packet(case, order, labor, settings())
    assert db.session.scalars(select(PacketPrint)).all() == []

    # the window is a deadline: labor relations' list shows it while it runs, the case's clocks too
    [listed] = [d for d in deadlines.open_deadlines(today, 14) if d.case.id == case.id]
    assert (listed.rule.code, listed.status, listed.on) == ("foia_objection_window", "not_before", window.ends_on)
    assert "no release before" in listed.label and "C.G.S. 1-214(c)" in listed.label
    assert [d.rule.code for d in deadlines.case_deadlines(case, today)] == ["foia_objection_window"]
    assert deadlines.case_deadlines(case, window.ends_on + timedelta(days=1))[0].status == "met"

    earlier = packets.NoticeEntry(today - timedelta(days=14), "the employee and the union", "FOIA request 2026-114")
    packets.record_release_notice(case, earlier, labor)  # the newest notice counts: still in its window
    with pytest.raises(packets.PacketRefused, match="runs until"):
        packets.print_packet(case, order, labor, settings())


def test_a_public_release_prints_once_the_window_has_passed(world):
    case = world.approved()
    labor = world.actor(world.labor)
    notified_on = clock.local_today() - timedelta(days=14)  # 10 business days ago at least
    notice = packets.record_release_notice(
        case, packets.NoticeEntry(notified_on, "the employee and the union", "FOIA request 2026-114"), labor
    )
    assert notice.recorded_by_id == world.labor.id
    recorded = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "packet.release_notice_recorded"))
    assert recorded.one().detail == {"notified_on": notified_on.isoformat(), "request": "FOIA request 2026-114"}
    order = packets.PacketOrder("public", recipient="FOIA request 2026-114")
    printing, pdf = packets.print_packet(case, order, labor, settings())
    assert (printing.variant, printing.recipient) == ("public", "FOIA request 2026-114")
    cover = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\n", " ")
    assert "Public release (FOIA)" in cover and f"notified on {notified_on.isoformat()}" in cover


def test_a_notice_needs_its_date_who_and_request(world):
    case = world.approved()
    with pytest.raises(InvalidInput) as refused:
        packets.record_release_notice(case, packets.NoticeEntry(None, " ", ""), world.actor(world.labor))
    assert set(refused.value.errors) == {"notified_on", "notified", "request"}
    future = packets.NoticeEntry(clock.local_today() + timedelta(days=1), "the union", "FOIA 1")
    with pytest.raises(InvalidInput, match="future"):
        packets.record_release_notice(case, future, world.actor(world.labor))
    with pytest.raises(NotPermitted):
        packets.record_release_notice(
            case, packets.NoticeEntry(clock.local_today(), "u", "r"), world.actor(world.investigator)
        )


def test_an_objection_holds_the_release_until_it_is_resolved(world):
    case = world.approved()
    labor = world.actor(world.labor)
    order = packets.PacketOrder("public", recipient="FOIA request 2026-114")
    notified_on = clock.local_today() - timedelta(days=20)  # the window has passed
    packets.record_release_notice(
        case, packets.NoticeEntry(notified_on, "the employee and the union", "FOIA 114"), labor
    )
    with pytest.raises(InvalidInput, match="cannot be before"):
        packets.record_objection(case, packets.ObjectionEntry(notified_on - timedelta(days=1), "x"), labor)
    objected_on = notified_on + timedelta(days=2)
    packets.record_objection(case, packets.ObjectionEntry(objected_on, "The employee objects in writing."), labor)
    with pytest.raises(packets.PacketRefused, match=f"objection of {objected_on.isoformat()} to the notice is not"):
        packets.print_packet(case, order, labor, settings())

    withheld = packets.ResolutionEntry(clock.local_today(), "FOI Commission: exempt", release_allowed=False)
    notice = packets.resolve_objection(case, withheld, labor)
    assert (notice.resolved_by_id, notice.release_allowed) == (world.labor.id, False)
    with pytest.raises(packets.PacketRefused, match="by withholding the records"):
        packets.print_packet(case, order, labor, settings())
    with pytest.raises(InvalidInput, match="was resolved on"):
        packets.resolve_objection(case, withheld, labor)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "release_notice")).all()
    assert sorted(actions) == [
        "packet.release_notice_recorded",
        "packet.release_objection_recorded",
        "packet.release_objection_resolved",
    ]


def test_a_resolved_objection_that_lets_the_records_go_lets_the_release_print(world):
    case = world.approved()
    labor = world.actor(world.labor)
    today = clock.local_today()
    packets.record_release_notice(case, packets.NoticeEntry(today, "the employee and the union", "FOIA 114"), labor)
    packets.record_objection(case, packets.ObjectionEntry(today, "The union objects."), labor)
    packets.resolve_objection(case, packets.ResolutionEntry(today, "FOI Commission ordered release", True), labor)
    order = packets.PacketOrder("public", recipient="FOIA request 2026-114")
    printing, _ = packets.print_packet(case, order, labor, settings())
    assert printing.variant == "public"
