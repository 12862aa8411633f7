"""A grievance filed after the case was closed (issue 18): closing while the filing window is open is allowed, so
the grievance that comes in that window must be recordable. Filing it reopens the case in discipline, in the same
commit, with a transition that says why; the case closes again only once the grievance is over."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, CaseTransition
from project.permissions import NotPermitted
from project.services import casework, grievances
from project.services.errors import CaseworkError, InvalidInput
from tests.unit.test_grievances import dismissed


def closed_after_notice(world, frozen_clock):
    case = dismissed(world, frozen_clock)
    casework.close_case(case, world.actor(world.labor), "Dismissal implemented.")
    assert case.state == "closed"
    return case


def file(world, case, who=None, on=date(2026, 3, 20)):
    return grievances.file_grievance(
        case,
        case.subjects[0],
        grievances.GrievanceInput(on, "26-207", "Sam Steward"),
        world.actor(who or world.labor),
    )


def test_a_grievance_filed_after_the_close_reopens_the_case_in_discipline(world, frozen_clock):
    case = closed_after_notice(world, frozen_clock)
    grievance = file(world, case)
    assert case.state == "discipline" and grievance.is_open and grievance.steps[0].filed_on == date(2026, 3, 20)
    moved = db.session.scalars(
        select(CaseTransition).where(CaseTransition.case_id == case.id).order_by(CaseTransition.id.desc())
    ).first()
    assert (moved.from_state, moved.to_state, moved.action) == ("closed", "discipline", "grievance_filed")
    assert moved.reason == f"Grievance of {case.subjects[0].employee.display_name} filed on 2026-03-20."
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.case_id == case.id).order_by(AuditEvent.id.desc()).limit(2)
    ).all()
    assert set(actions) == {"case.grievance_filed", "grievance.filed"}
    with pytest.raises(CaseworkError, match="cannot close while a grievance or arbitration is open"):
        casework.close_case(case, world.actor(world.labor), "Done again.")


def test_a_refused_filing_leaves_the_closed_case_closed(world, frozen_clock):
    case = closed_after_notice(world, frozen_clock)
    with pytest.raises(InvalidInput):
        file(world, case, on=date(2026, 2, 1))  # before the written notice
    with pytest.raises(NotPermitted):
        file(world, case, who=world.supervisor)
    db.session.expire_all()
    assert case.state == "closed" and grievances.grievances_of(case) == []


def test_a_case_closed_without_discipline_takes_no_grievance(world):
    case = world.in_review()
    casework.close_without_discipline(case, world.actor(world.supervisor), "No violation.")
    with pytest.raises(InvalidInput, match="record the notice first"):
        file(world, case)
    assert case.state == "closed"
