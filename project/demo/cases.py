"""Demo cases in every state, walked through the same services the people use, with drawn screenshots."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from project import clock
from project.demo.priors import import_demo_priors
from project.demo.screenshots import post_screenshot
from project.extensions import db
from project.models import Case, CaseSubject, Clause, Directive, DirectiveVersion
from project.services import accounts, casework, discipline, evidence, labor
from project.services.audit import Actor

DEMO_ADDRESS = "127.0.0.1"


def _actor(email: str) -> Actor:
    user = accounts.find_user(email)
    assert user is not None, f"demo account {email} is missing"
    return Actor(user=user, remote_addr=DEMO_ADDRESS)


def _clause_id(number: str) -> int:
    clause_id = db.session.scalar(
        select(Clause.id)
        .join(DirectiveVersion)
        .join(Directive)
        .where(Directive.number == "2.26", Clause.number == number)
    )
    assert clause_id is not None, f"AD 2.26 has no clause {number}"
    return clause_id


def seed_demo_cases(seed_dir: Path, evidence_dir: str, max_bytes: int, max_pixels: int) -> int:
    """Build the demo cases once; when any case exists already, build none. Returns how many were built."""
    if db.session.scalar(select(func.count()).select_from(Case)):
        return 0
    with (seed_dir / "demo" / "cases.toml").open("rb") as handle:
        demo = tomllib.load(handle)
    entries = demo["cases"]
    import_demo_priors(seed_dir)  # before the proposals, whose suggestions weigh them
    for entry in entries:
        entry = {"default_screen": demo["speech_screen"], "default_just_cause": demo["just_cause"]} | entry
        with clock.set_back(entry.get("built_days_ago", 0)):  # every date of the entry counts back from then
            _build(entry, evidence_dir, max_bytes, max_pixels)
    return len(entries)


def _build(entry: dict[str, Any], evidence_dir: str, max_bytes: int, max_pixels: int) -> Case:
    """Walk one demo case as far as its ``state``: intake, investigation, review, labor relations."""
    investigator, supervisor = _actor("investigator@demo.test"), _actor("supervisor@demo.test")
    case, exhibit_id = _log(entry, investigator, evidence_dir, max_bytes, max_pixels)
    if entry["state"] == "intake":
        return case
    casework.assign_investigator(case, investigator.user, supervisor)
    if "subject" not in entry:
        return case
    subject = _investigate(case, entry, exhibit_id, investigator)
    if entry["state"] == "open" and not entry.get("returned"):
        return case
    casework.submit_for_review(case, investigator)
    if entry.get("returned"):
        casework.return_to_investigator(case, supervisor, entry["returned"])
    elif entry["state"] == "closed":
        casework.close_without_discipline(case, supervisor, entry["close_reason"])
    elif entry["state"] in ("approved", "discipline"):
        _answer_just_cause(case, subject, entry["default_just_cause"], supervisor)
        casework.approve_outcome(case, supervisor, "Findings and proposed step agreed.")
        if entry["state"] == "discipline":
            _record_labor(case, subject, entry)
    return case


def _log(
    entry: dict[str, Any], investigator: Actor, evidence_dir: str, max_bytes: int, max_pixels: int
) -> tuple[Case, int]:
    received = clock.now() - timedelta(days=entry["days_ago"])
    p = entry["post"]
    days_before = p.get("posted_days_before", 1)
    posted_at = None if days_before is False else received - timedelta(days=days_before, hours=-4)
    post = casework.PostInput(
        platform=p["platform"],
        url=f"https://{p['platform']}.example/{p['handle'].lstrip('@u/')}/posts/1",
        account_handle=p["handle"],
        display_name=p["display_name"],
        posted_at=posted_at,
        first_seen_at=received - timedelta(hours=4),
        text=p["text"],
        identified_as_doc=p.get("identified_as_doc"),
        on_duty=p.get("on_duty"),
        doc_insignia=p.get("doc_insignia"),
        attribution=p.get("attribution", ""),
    )
    complaint = casework.ComplaintInput(
        title=entry["title"],
        complaint_source=entry["source"],
        received_at=received,
        narrative=entry.get("narrative", ""),
        reporter_name=entry.get("reporter"),
    )
    case = casework.log_complaint(complaint, [post], investigator)
    shown = post.posted_at or post.first_seen_at
    assert shown is not None
    shot = post_screenshot(
        p["platform"],
        p["handle"],
        p["display_name"],
        shown.astimezone(clock.zone()).strftime("%b %d, %Y %I:%M %p"),
        p["text"],
        entry.get("photo"),
    )
    exhibit = evidence.add_exhibit(
        case,
        evidence.ExhibitInput(
            shot,
            f"{p['platform']}-capture.png",
            f"Screenshot of the {p['platform']} post by {p['handle']}",
            post.url,
            received - timedelta(hours=3),
            "Dana Investigator",
            "Full-page browser screenshot",
        ),
        investigator,
        evidence.EvidenceSettings(evidence_dir, max_bytes, max_pixels),
    )
    return case, exhibit.id


def _investigate(case: Case, entry: dict[str, Any], exhibit_id: int, investigator: Actor) -> CaseSubject:
    employee = casework.find_employee(entry["subject"])
    assert employee is not None, f"demo roster has no employee {entry['subject']}"
    subject = casework.link_subject(case, employee, investigator)
    for note in entry.get("notes", []):
        casework.add_note(case, note["kind"], note["body"], investigator)
    for item in entry.get("allegations", []):
        allegation = casework.frame_allegation(
            case,
            subject,
            casework.AllegationInput(f"clause:{_clause_id(item['clause'])}", "", [exhibit_id]),
            investigator,
        )
        if item.get("finding") and casework.needs_speech_screen(allegation):
            screen = entry["default_screen"] | entry.get("speech_screen", {})
            casework.record_speech_screen(case, allegation, casework.SpeechScreenInput(**screen), investigator, None)
        if item.get("finding"):
            unmet = set(item.get("unmet", []))
            note = "Checked against the post and the evidence of the case."
            elements = allegation.clause.elements if allegation.clause is not None else []
            answers = tuple(casework.ElementAnswer(e.id, e.code not in unmet, note) for e in elements)
            casework.record_finding(
                case,
                allegation,
                casework.FindingInput(item["finding"], item["reasoning"], [exhibit_id], answers),
                investigator,
                allegation.row_version,
            )
    for person in entry.get("people", []):
        casework.add_protected_person(case, casework.ProtectedPersonInput(**person), investigator)
    if "interview" in entry:
        _interview(case, subject, entry["interview"], investigator)
    if "discipline" in entry:
        _propose(case, subject, entry["discipline"], investigator)
    return subject


def _interview(case: Case, subject: CaseSubject, plan: dict[str, Any], investigator: Actor) -> None:
    """A compelled interview of the subject, the Garrity warning given and acknowledged on the form the
    department uses now (a department setting), with a steward when one was requested."""
    requested = plan["representation"] == "requested"
    entry = casework.InterviewInput(
        person=f"subject:{subject.id}",
        held_at=clock.now() - timedelta(days=plan["days_before"]),
        place="Internal affairs interview room, Wethersfield",
        kind="administrative",
        interviewer_ids=[investigator.user.id],
        garrity_given=True,
        garrity_acknowledged=True,
        garrity_form_version=current_app.config["GARRITY_FORM_VERSION"],
        representation=plan["representation"],
        representative_name="Demo steward" if requested else "",
        representative_union="The employee's union (demo)" if requested else "",
        summary=plan["summary"],
    )
    casework.record_interview(case, entry, investigator)


def _record_labor(case: Case, subject: CaseSubject, entry: dict[str, Any]) -> None:
    today = clock.local_today()
    plan, dates = entry["discipline"], entry["labor"]
    meeting_on = today - timedelta(days=dates["meeting_days_ago"])
    record = labor.LaborRecordInput(
        meeting_on=meeting_on,
        meeting_place="Warden's conference room",
        meeting_attendees="The employee; the union steward; the warden's designee; labor relations.",
        union_rep_name="Demo steward",
        union_rep_union="The employee's union (demo)",
        employee_response="The employee acknowledged the post and said it was meant as a joke.",
        documents_given="The pre-disciplinary notice and Exhibit 1.",
        decision_on=meeting_on,
        decided_by_id=_actor("appointing@demo.test").user.id,
        notice_issued_on=today - timedelta(days=dates["notice_days_ago"]),
        imposed_step=plan["step"],
        imposed_suspension_days=plan.get("days") or None,
        effective_on=today + timedelta(days=dates.get("effective_in_days", 7)),
    )
    if dates.get("immediate_dismissal"):  # effective at the close of the meeting (RCSA 5-240-8a(b))
        record = replace(
            record,
            immediate_dismissal=True,
            immediate_dismissal_reason=dates["immediate_dismissal"],
            effective_on=meeting_on,
        )
    labor.record_labor_action(case, subject, record, _actor("labor@demo.test"), expected_version=None)


def _propose(case: Case, subject: CaseSubject, plan: dict[str, Any], actor: Actor) -> None:
    suggestion = discipline.suggest_step(subject, clock.local_today())
    same = suggestion.step is not None and suggestion.step.code == plan["step"]
    justification = "" if same else "Demo: the investigator departs from the suggestion for the facts of this post."
    discipline.propose_discipline(
        case, subject, discipline.ProposalInput(plan["step"], plan.get("days") or None, justification), actor, None
    )


def _answer_just_cause(case: Case, subject: CaseSubject, answers: dict[str, Any], supervisor: Actor) -> None:
    """The seven tests as the demo's supervisor answers them; notice of the rule from the roster."""
    if not casework.needs_just_cause(case, subject):
        return
    met, notice = casework.notice_on_record(subject)
    given = [casework.TestAnswer("notice", bool(met), notice)]
    given += [casework.TestAnswer(test, True, answers[test]) for test in casework.JUST_CAUSE_TESTS if test != "notice"]
    entry = casework.JustCauseInput(tuple(given), answers["mitigating"], answers["aggravating"])
    casework.record_just_cause(case, subject, entry, supervisor)
