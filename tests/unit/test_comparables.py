"""Comparable cases (issue 17, item 7): past cases charged and found exactly as this one, the discipline imposed
on them counted per step, what each viewer may see of them, and the reason a proposal well above or below
them needs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditEvent, DisciplineRecord
from project.services import casework, discipline
from project.services.errors import InvalidInput
from tests.comparable_world import charge, past_cases
from tests.factories import answer_just_cause


@pytest.fixture()
def past(world, app, monkeypatch, frozen_clock):
    return past_cases(world, app, monkeypatch)


def test_only_cases_charged_and_found_exactly_alike_with_discipline_imposed_are_counted(world, past):
    case = world.sustained()
    comparison = discipline.comparable_cases(case, case.subjects[0], world.supervisor)
    assert {c.number for c in comparison.cases} == {c.number for c in past}
    assert [(step.code, n) for step, n in comparison.counts] == [("oral_reprimand", 3), ("written_reprimand", 2)]
    assert comparison.median_step.code == "oral_reprimand"
    assert comparison.charge == [("5.b.i.2", "Sustained")]
    assert all(c.visible for c in comparison.listed) and comparison.hidden == 0


def test_a_different_finding_or_a_finding_not_yet_made_compares_with_nothing(world, past):
    case = world.sustained()
    charge(world, case, "5.b.i.4", "not_sustained")
    assert discipline.comparable_cases(case, case.subjects[0], world.supervisor).cases == []
    open_case = world.open()
    subject = world.with_subject(open_case)
    cited = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    casework.frame_allegation(
        open_case, subject, casework.AllegationInput(f"clause:{cited.id}", "", []), world.actor(world.investigator)
    )
    waiting = discipline.comparable_cases(open_case, subject, world.supervisor)
    assert (
        waiting.cases == []
        and waiting.incomplete == "Comparable cases are shown once every allegation has its finding."
    )


def test_a_viewer_is_never_listed_a_case_they_may_not_open(world, past):
    case = world.sustained()
    own = discipline.comparable_cases(case, case.subjects[0], world.investigator)
    assert len(own.listed) == 5  # the investigator assigned to them opens them
    other = discipline.comparable_cases(case, case.subjects[0], world.investigator2)
    assert other.total == 5 and other.listed == [] and other.hidden == 5  # counted, never listed
    subject_of_one = world.users.make("supervisor", employee_number=past[0].subjects[0].employee.employee_number)
    supervisor = discipline.comparable_cases(case, case.subjects[0], subject_of_one)
    assert past[0].number not in {c.number for c in supervisor.listed}
    assert supervisor.hidden == 1 and supervisor.total == 5
    labor = discipline.comparable_cases(case, case.subjects[0], world.labor)
    assert len(labor.listed) == 5


def test_a_proposal_well_above_its_comparables_needs_a_reason_which_is_kept_and_audited(world, past):
    case = world.sustained()
    subject = case.subjects[0]
    actor = world.actor(world.investigator)
    version = case.content_version
    entry = discipline.ProposalInput("suspension", 3, "Security breach.")
    with pytest.raises(InvalidInput) as refused:
        discipline.propose_discipline(case, subject, entry, actor, None)
    assert refused.value.errors == {
        "comparables_reason": "Suspension is 2 steps of the ladder above oral reprimand, the median step imposed in "
        "the 5 comparable cases (department settings: at least 5 comparable cases, and more than 1 step of the "
        "ladder from their median step). Give the reason for departing from the comparable cases."
    }
    assert casework.proposal_of(subject) is None and case.content_version == version
    reason = "The post named the keypad code; none of the comparables did."
    proposal = discipline.propose_discipline(
        case, subject, discipline.ProposalInput("suspension", 3, "Security breach.", reason), actor, None
    )
    assert proposal.comparables_reason == reason
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "discipline.proposed").order_by(AuditEvent.id.desc())
    ).first()
    assert event.detail["after"]["comparables_reason"] == reason
    assert event.detail["comparables"]["count"] == 5 and event.detail["comparables"]["median"] == "oral_reprimand"


def test_one_step_from_the_median_or_too_few_comparables_needs_no_reason(world, past, app, monkeypatch):
    case = world.sustained()
    actor = world.actor(world.investigator)
    written = discipline.propose_discipline(
        case, case.subjects[0], discipline.ProposalInput("written_reprimand"), actor, None
    )
    assert written.comparables_reason == ""
    monkeypatch.setitem(app.config, "COMPARABLES_MIN_CASES", 6)  # only five comparables
    other = world.sustained()
    far = discipline.propose_discipline(
        other, other.subjects[0], discipline.ProposalInput("dismissal", None, "Security breach."), actor, None
    )
    assert far.proposed_step.code == "dismissal"


def packet_text(case, variant: str) -> str:
    import io

    from flask import current_app
    from pypdf import PdfReader

    from project.services import packets

    order = packets.PacketOrder(variant, recipient="union, step 2")
    pdf = packets.render_packet(case, order, packets.PrintSettings(current_app.config["EVIDENCE_DIR"], "DOC-")).pdf
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")


def test_the_internal_packet_prints_the_comparison_and_a_release_copy_names_no_other_case(world, past):
    case = world.sustained()
    actor = world.actor(world.investigator)
    reason = "The post named the keypad code; none of the comparables did."
    discipline.propose_discipline(
        case, case.subjects[0], discipline.ProposalInput("suspension", 3, "Security breach.", reason), actor, None
    )
    world.interviewed(case, case.subjects[0])  # a sustained finding needs the interview first
    casework.submit_for_review(case, actor)
    answer_just_cause(case, world.actor(world.supervisor))  # approving discipline needs the seven tests
    casework.approve_outcome(case, world.actor(world.supervisor), "Agreed.")
    internal = packet_text(case, "full")
    assert "Comparable cases" in internal and "median step Oral reprimand" in internal
    assert "Oral reprimand 3; Written reprimand 2" in internal
    assert all(p.number in internal for p in past)
    assert reason in internal
    copy = packet_text(case, "redacted")
    assert "Comparable cases" not in copy and not any(p.number in copy for p in past)


def test_an_expunged_case_is_compared_with_by_nobody(world, past):
    """A record sealed by retention (issue 18) is shown only to an admin who states a reason: the comparison does
    not name its case or count its step, for any viewer or in the internal packet."""
    sealed_case = past[-1]  # a written reprimand
    record = db.session.scalars(select(DisciplineRecord).where(DisciplineRecord.case_id == sealed_case.id)).one()
    record.expunged_on, record.expunged_rule = clock.local_today(), "reprimand_outside_unit"
    db.session.flush()
    case = world.sustained()
    for viewer in (world.supervisor, None):
        comparison = discipline.comparable_cases(case, case.subjects[0], viewer)
        assert sealed_case.number not in {c.number for c in comparison.cases}
        assert [(step.code, n) for step, n in comparison.counts] == [("oral_reprimand", 3), ("written_reprimand", 1)]
