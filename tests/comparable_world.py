"""Past cases to compare with (issue 17, item 7), built through the services: shared by the unit and web tests."""

from __future__ import annotations

from project import clock
from project.services import casework, discipline
from tests.factories import World, answer_just_cause, element_answers, screen_speech


def imposed(world: World, step: str, clause: str = "5.b.i.2", days: int | None = None, **kwargs):
    """A past case, approved with ``step`` and that step imposed by labor relations."""
    case = world.approved_with_discipline(step=step, days=days, clause=clause, **kwargs)
    today = clock.local_today()
    world.labor_record(case, imposed_step=step, imposed_suspension_days=days, decision_on=today, effective_on=today)
    return case


def charge(world: World, case, clause: str, finding: str):
    """Another allegation against the case's first subject, with its finding."""
    subject = case.subjects[0]
    cited = next(c for c in casework.citable_clauses() if c.number == clause)
    actor = world.actor(world.investigator)
    allegation = casework.frame_allegation(case, subject, casework.AllegationInput(f"clause:{cited.id}", "", []), actor)
    screen_speech(case, allegation, actor)  # an off-duty (5.b) clause is screened before its finding
    casework.record_finding(
        case,
        allegation,
        casework.FindingInput(finding, "Checked.", [], element_answers(allegation, finding)),
        actor,
        allegation.row_version,
    )


def past_cases(world: World, app, monkeypatch):
    """Five past 5.b.i.2 sustained cases (three oral reprimands, two written), and three that are not comparable:
    one also charged under 5.b.i.4, one under 5.b.i.4 alone, and one approved with nothing imposed yet."""
    monkeypatch.setitem(app.config, "COMPARABLES_MIN_CASES", 1000)  # no reason asked while building the past
    cases = [imposed(world, "oral_reprimand") for _ in range(3)] + [
        imposed(world, "written_reprimand") for _ in range(2)
    ]
    wider = world.sustained()
    charge(world, wider, "5.b.i.4", "sustained")
    discipline.propose_discipline(
        wider,
        wider.subjects[0],
        discipline.ProposalInput("dismissal", None, "Two charges."),
        world.actor(world.investigator),
        None,
    )
    world.interviewed(wider, wider.subjects[0])  # a sustained finding needs the interview first
    casework.submit_for_review(wider, world.actor(world.investigator))
    answer_just_cause(wider, world.actor(world.supervisor))  # approving discipline needs the seven tests
    casework.approve_outcome(wider, world.actor(world.supervisor), "Agreed.")
    today = clock.local_today()
    world.labor_record(wider, imposed_step="dismissal", decision_on=today, departure_reason="As approved.")
    imposed(world, "suspension", clause="5.b.i.4", days=5)
    world.approved_with_discipline(step="oral_reprimand")  # approved, nothing imposed yet
    monkeypatch.setitem(app.config, "COMPARABLES_MIN_CASES", 5)
    monkeypatch.setitem(app.config, "COMPARABLES_STEPS_AWAY", 1)
    return cases
