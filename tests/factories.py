"""Builders for test records, going through the same services the app uses (no shortcuts into tables)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app

from project import clock
from project.demo import post_screenshot
from project.models import Allegation, Case, CaseSubject, Employee, Exhibit, Interview, LaborAction, User
from project.services import accounts, casework, evidence, roster
from project.services.audit import Actor
from project.services.discipline import ProposalInput, propose_discipline, suggest_step
from project.services.labor import LaborRecordInput, record_labor_action

PASSWORD = "correct horse battery"


class Users:
    """``users.make("supervisor")`` creates ``supervisor1@example.test`` with that role."""

    def __init__(self) -> None:
        self.count = 0

    def make(
        self, *roles: str, email: str | None = None, name: str | None = None, employee_number: str | None = None
    ) -> User:
        self.count += 1
        roles = roles or ("investigator",)
        email = email or f"{roles[0]}{self.count}@example.test"
        user = accounts.create_user(email, name or f"Test {roles[0]} {self.count}", roles, PASSWORD)
        if employee_number:
            user.employee_number = employee_number
            from project.extensions import db

            db.session.commit()
        return user


class Employees:
    def __init__(self) -> None:
        self.count = 0

    def make(self, facility: str = "Cheshire CI", last_name: str | None = None) -> Employee:
        self.count += 1
        number = f"E{self.count:05d}"
        last = last_name or f"Subject{self.count}"
        roster.import_roster(
            "employee_number,last_name,first_name,title,facility,bargaining_unit,hire_date\n"
            f"{number},{last},Pat,Correction Officer,{facility},NP-4,2015-01-05\n"
        )
        found = casework.find_employee(number)
        assert found is not None
        return found


@dataclass
class World:
    """The cast of a case: two investigators, a supervisor, labor relations and an admin."""

    investigator: User
    investigator2: User
    supervisor: User
    labor: User
    admin: User
    users: Users
    employees: Employees
    appointing: User  # the appointing authority (RCSA 5-240-1a(a)) who decides and signs discipline

    def actor(self, user: User) -> Actor:
        return Actor(user=user, remote_addr="192.0.2.10")

    # Cases in each state, built through the services -----------------------------------------------

    def intake(
        self, title: str = "Post showing facility keys", text: str = "Look at these keys lol", exhibit: bool = False
    ) -> Case:
        data = casework.ComplaintInput(
            title=title,
            complaint_source="staff_report",
            received_at=clock.now() - timedelta(days=2),
            narrative="Reported by a shift supervisor.",
            reporter_name="Officer R. Reporter",
            reporter_contact="555-0100",
        )
        post = casework.PostInput(
            platform="facebook",
            url="https://facebook.example/posts/1",
            account_handle="@co_pat",
            display_name="Pat S.",
            posted_at=clock.now() - timedelta(days=3),
            text=text,
            identified_as_doc=True,
            on_duty=True,  # so a 5.a charge (on duty) can be sustained on this post
            doc_insignia=True,
            attribution="Profile photo matches; admitted in interview.",
        )
        case = casework.log_complaint(data, [post], self.actor(self.investigator))
        if exhibit:
            self.add_screenshot(case)
        return case

    def add_screenshot(self, case: Case, text: str = "Look at these keys lol") -> Exhibit:
        """A drawn PNG screenshot of the post, added as the case's next exhibit by the investigator."""
        config = current_app.config
        shot = post_screenshot("facebook", "@co_pat", "Pat S.", "Mar 1, 2026", text)
        return evidence.add_exhibit(
            case,
            evidence.ExhibitInput(
                shot,
                "capture.png",
                "Screenshot of the post",
                "https://facebook.example/1",
                clock.now() - timedelta(days=1),
                "Ivy Investigator",
                "Browser screenshot",
            ),
            self.actor(self.investigator),
            evidence.EvidenceSettings(
                config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]
            ),
        )

    def add_screenshot_after_decision(self, case: Case, description: str = "Arbitration award") -> Exhibit:
        """An award document (drawn as a PNG) added by labor relations while the case is in discipline."""
        config = current_app.config
        shot = post_screenshot("facebook", "@co_pat", "Pat S.", "Mar 1, 2026", "AWARD: suspension of 25 days")
        return evidence.add_exhibit(
            case,
            evidence.ExhibitInput(shot, "award.png", description, None, clock.now(), "Lee Labor", "Scanned award"),
            self.actor(self.labor),
            evidence.EvidenceSettings(
                config["EVIDENCE_DIR"], config["EVIDENCE_MAX_BYTES"], config["EVIDENCE_MAX_PIXELS"]
            ),
            after_decision=True,
        )

    def open(self, **kwargs: Any) -> Case:
        case = self.intake(**kwargs)
        casework.assign_investigator(case, self.investigator, self.actor(self.supervisor))
        return case

    def with_subject(self, case: Case, employee: Employee | None = None) -> CaseSubject:
        return casework.link_subject(case, employee or self.employees.make(), self.actor(self.investigator))

    def interviewed(self, case: Case, subject: CaseSubject, by: User | None = None, **changes: Any) -> Interview:
        """A completed administrative interview of the subject (by ``by``, else the investigator): Garrity given
        and acknowledged, a steward present."""
        by = by or self.investigator
        entry = casework.InterviewInput(
            person=f"subject:{subject.id}",
            held_at=clock.now() - timedelta(hours=2),
            place="Internal affairs office, Wethersfield",
            kind="administrative",
            interviewer_ids=[by.id],
            garrity_given=True,
            garrity_acknowledged=True,
            garrity_form_version="DOC Garrity form rev. 2024-01",
            representation="requested",
            representative_name="Sam Steward",
            representative_union="AFSCME Local 1565",
            summary="The employee admits posting the photo.",
        )
        for name, value in changes.items():
            setattr(entry, name, value)
        return casework.record_interview(case, entry, self.actor(by))

    def ready_for_review(self, finding: str = "not_sustained", **kwargs: Any) -> Case:
        case = self.open(**kwargs)
        subject = self.with_subject(case)
        clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
        allegation = casework.frame_allegation(
            case, subject, casework.AllegationInput(f"clause:{clause.id}", "", []), self.actor(self.investigator)
        )
        screen_speech(case, allegation, self.actor(self.investigator))
        casework.record_finding(
            case,
            allegation,
            casework.FindingInput(
                finding, "The photo shows a key ring but no facility.", [], element_answers(allegation, finding)
            ),
            self.actor(self.investigator),
            allegation.row_version,
        )
        if finding == "sustained":
            self.interviewed(case, subject)
        return case

    def in_review(self, **kwargs: Any) -> Case:
        case = self.ready_for_review(**kwargs)
        casework.submit_for_review(case, self.actor(self.investigator))
        return case

    def approved(self, **kwargs: Any) -> Case:
        case = self.in_review(**kwargs)
        casework.approve_outcome(case, self.actor(self.supervisor), "Agreed.")
        return case

    def discipline(self, **kwargs: Any) -> Case:
        case = self.approved(**kwargs)
        casework.begin_discipline(case, self.actor(self.labor))
        return case

    def closed(self, **kwargs: Any) -> Case:
        case = self.in_review(**kwargs)
        casework.close_without_discipline(case, self.actor(self.supervisor), "No violation found.")
        return case

    def in_state(self, state: str, exhibit: bool = False) -> Case:
        """A case in the state, with a subject linked from "open" on (and Exhibit 1 when asked)."""
        if state == "open":
            case = self.open(exhibit=exhibit)
            self.with_subject(case)
            return case
        return getattr(self, state)(exhibit=exhibit)

    # Discipline (AD 2.6) and labor relations ---------------------------------------------------------

    def sustained(self, clause: str = "5.b.i.2", employee: Employee | None = None) -> Case:
        """An open case whose one subject has a sustained allegation under an AD 2.26 clause."""
        case = self.open()
        subject = self.with_subject(case, employee)
        cited = next(c for c in casework.citable_clauses() if c.number == clause)
        investigator = self.actor(self.investigator)
        allegation = casework.frame_allegation(
            case, subject, casework.AllegationInput(f"clause:{cited.id}", "", []), investigator
        )
        screen_speech(case, allegation, investigator)
        casework.record_finding(
            case,
            allegation,
            casework.FindingInput(
                "sustained", "The post shows the sally port keypad.", [], element_answers(allegation, "sustained")
            ),
            investigator,
            allegation.row_version,
        )
        self.interviewed(case, subject)
        return case

    def proposed(
        self,
        step: str | None = None,
        days: int | None = None,
        clause: str = "5.b.i.2",
        employee: Employee | None = None,
    ) -> Case:
        """A sustained case with a proposal: the suggested step, or ``step`` with a justification."""
        case = self.sustained(clause, employee)
        subject = case.subjects[0]
        suggested = suggest_step(subject, clock.local_today()).step
        code = step or (suggested.code if suggested else "counseling")
        justification = "" if suggested is not None and code == suggested.code else "Departure agreed with LR."
        propose_discipline(case, subject, ProposalInput(code, days, justification), self.actor(self.investigator), None)
        return case

    def approved_with_discipline(
        self,
        step: str | None = None,
        days: int | None = None,
        clause: str = "5.b.i.2",
        employee: Employee | None = None,
    ) -> Case:
        """An approved case whose one subject has a sustained allegation and an approved discipline proposal."""
        case = self.proposed(step, days, clause, employee)
        casework.submit_for_review(case, self.actor(self.investigator))
        answer_just_cause(case, self.actor(self.supervisor))
        casework.approve_outcome(case, self.actor(self.supervisor), "Agreed.")
        return case

    def approved_not_sustained(self, case: Case) -> Case:
        """Approve ``case`` (its own exhibits kept) with one subject and a not-sustained 5.b.i.2 allegation."""
        subject = self.with_subject(case)
        clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
        investigator = self.actor(self.investigator)
        entry = casework.AllegationInput(f"clause:{clause.id}", "", [])
        allegation = casework.frame_allegation(case, subject, entry, investigator)
        finding = casework.FindingInput(
            "not_sustained", "The photo is too blurred to read.", [], element_answers(allegation, "not_sustained")
        )
        screen_speech(case, allegation, investigator)
        casework.record_finding(case, allegation, finding, investigator, allegation.row_version)
        casework.submit_for_review(case, investigator)
        casework.approve_outcome(case, self.actor(self.supervisor), "Agreed.")
        return case

    def reviewed_for_release(self, case: Case) -> Case:
        """Review every exhibit not yet reviewed, as a supervisor: as redacted where it has a redacted copy,
        otherwise as releasable as it is, so a release packet of the case may print."""
        for state in evidence.release_states([e for e in evidence.exhibits_of(case) if not e.is_withdrawn]):
            if state.needs_review:
                decision = "redacted" if evidence.current_redaction(state.exhibit) is not None else "releasable"
                evidence.review_for_release(
                    case, state.exhibit, decision, "Checked for release.", self.actor(self.supervisor)
                )
        return case

    def labor_record(
        self, case: Case, expected_version: int | None = None, by: User | None = None, **changes: object
    ) -> LaborAction:
        """Record labor relations' dates for the case's first subject; unnamed fields stay empty. A decision
        date names ``appointing`` as its decision-maker unless ``decided_by_id`` is given."""
        if changes.get("decision_on") is not None and "decided_by_id" not in changes:
            changes["decided_by_id"] = self.appointing.id
        entry = LaborRecordInput(**changes)  # type: ignore[arg-type]
        return record_labor_action(case, case.subjects[0], entry, self.actor(by or self.labor), expected_version)


def element_answers(allegation: Allegation, finding: str = "sustained") -> tuple[casework.ElementAnswer, ...]:
    """An answer to every element of the allegation's clause: all met for a sustained finding, else all not met."""
    met = finding == "sustained"
    elements = allegation.clause.elements if allegation.clause is not None else []
    return tuple(casework.ElementAnswer(e.id, met, "Checked against the post.") for e in elements)


def screen_speech(case: Case, allegation: Allegation, actor: Actor, **answers: Any) -> None:
    """Record a completed protected-speech screen of a 5.b allegation (nothing for another clause): by default
    not a matter of public concern, and disruptive of operations; ``answers`` change any field."""
    if not casework.needs_speech_screen(allegation):
        return
    given: dict[str, Any] = {name: False for name in casework.QUESTIONS} | {"disrupts_operations": True}
    given |= {f"{name}_reason": "Checked against the post and the interview." for name in casework.QUESTIONS}
    given |= {"obtained_how": "public_view", "no_credentials_demanded": True} | answers
    screen = casework.screen_of(allegation)
    casework.record_speech_screen(
        case, allegation, casework.SpeechScreenInput(**given), actor, screen.row_version if screen else None
    )


def just_cause_answers(met: bool = True, reason: str = "Shown by the record.") -> casework.JustCauseInput:
    return casework.JustCauseInput(
        tuple(casework.TestAnswer(test, met, reason) for test in casework.JUST_CAUSE_TESTS),
        mitigating="Ten years without discipline",
        aggravating="Post stayed up after a warning",
    )


def answer_just_cause(case: Case, actor: Actor) -> None:
    """The reviewing supervisor answers the seven tests for every subject that needs them."""
    for subject in case.subjects:
        if casework.needs_just_cause(case, subject):
            casework.record_just_cause(case, subject, just_cause_answers(), actor)


def make_world(users: Users) -> World:
    return World(
        investigator=users.make("investigator", email="inv1@example.test", name="Ivy Investigator"),
        investigator2=users.make("investigator", email="inv2@example.test", name="Ike Investigator"),
        supervisor=users.make("supervisor", email="sup@example.test", name="Sue Supervisor"),
        labor=users.make("labor_relations", email="lr@example.test", name="Lou Labor"),
        admin=users.make("admin", email="admin@example.test", name="Ada Admin"),
        users=users,
        employees=Employees(),
        appointing=users.make("appointing_authority", email="aa@example.test", name="Ari Appointing"),
    )
