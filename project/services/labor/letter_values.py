"""What a letter says about its case: the values filled into a letter's wording (``letters``), from the
sustained allegations with their quoted clauses and the posts charged, the evidence in summary, the meeting,
and the discipline imposed with its dates. A notice's dates are checked against the clocks before it is
printed. A notice of discipline needs the decision (its date and its decision-maker, who signs) and the
effective date: it never says "a date to be confirmed". It states the appeal rights of the employee's
bargaining unit (RCSA 5-240-8a(a)) and the fixed rebuttal statement (C.G.S. 31-128e). No letter cites the
case file's internal note numbers: they are replaced (``notice_content.without_note_references``)."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import Allegation, Case, CaseSubject, Exhibit, LaborAction
from project.services import casework, catalogue, deadlines, masking
from project.services.audit import Actor
from project.services.catalogue import check_letter_kind
from project.services.discipline import sustained_allegations_of
from project.services.errors import InvalidInput
from project.services.labor.actions import labor_action_of
from project.services.labor.bargaining_units import rights_of
from project.services.labor.notice_content import (
    REBUTTAL_STATEMENT,
    directive_title,
    post_line,
    without_note_references,
)

SIGNER_TITLE = "Appointing Authority"


def long_date(day: date) -> str:
    """``March 2, 2026``."""
    return f"{day:%B} {day.day}, {day.year}"


def _lead_in(allegation: Allegation) -> str | None:
    """The sentence a list item completes, e.g. 5.b.i's "The following subjects shall NOT be ... :" for 5.b.i.2."""
    clause = allegation.clause
    if clause is None or clause.parent_number is None:
        return None
    parent = catalogue.clause(clause.version, clause.parent_number)
    if parent is None or not parent.text.rstrip().endswith(":"):
        return None
    sentences = re.split(r"(?<=[.!?])\s+", parent.text.strip())
    return f'Section {parent.number} provides: "{sentences[-1]}"'


def _charge(position: int, allegation: Allegation) -> str:
    lines = [f"Charge {position}: {allegation.citation}"]
    clause = allegation.clause
    if clause is not None:
        lead_in = _lead_in(allegation)
        if lead_in:
            lines.append(lead_in)
    facts = casework.charge_facts(allegation)
    if clause is not None:
        heading = f" ({clause.heading.strip()})" if clause.heading.strip() else ""
        inferred = " (section number inferred from the copy of the directive on file)" if facts.number_inferred else ""
        lines.append(f'Section {clause.number}{heading}{inferred}: "{" ".join(facts.charged_text.split())}"')
    lines.append(post_line(facts))
    finding = allegation.finding.name if allegation.finding is not None else "Sustained"
    reasoning = " ".join(allegation.reasoning.split())
    lines.append(f"Finding: {finding}." + (f" {reasoning}" if reasoning else ""))
    return "\n".join(lines)


def _evidence(case: Case, allegations: list[Allegation]) -> str:
    cited = {exhibit.id: exhibit for allegation in allegations for exhibit in allegation.exhibits}
    exhibits = sorted(cited.values(), key=lambda e: e.number) or list(
        db.session.scalars(select(Exhibit).where(Exhibit.case_id == case.id).order_by(Exhibit.number))
    )
    if not exhibits:
        return "No exhibits are on file."
    return "\n".join(f"{exhibit.label}: {' '.join(exhibit.description.split())}" for exhibit in exhibits)


def _common_values(
    case: Case, subject: CaseSubject, letter_date: date, actor: Actor, allegations: list[Allegation]
) -> dict[str, str]:
    employee = subject.employee
    return {
        "employee_name": f"{employee.first_name} {employee.last_name}",
        "employee_number": employee.employee_number,
        "employee_title": employee.title,
        "facility": employee.facility,
        "bargaining_unit": employee.bargaining_unit or "bargaining unit not recorded",
        "case_number": case.number,
        "letter_date": long_date(letter_date),
        "signer_name": actor.user.name,
        "signer_title": "Labor Relations",
        "directive": directive_title(allegations[0]),
        "charges": "\n\n".join(_charge(n, a) for n, a in enumerate(allegations, start=1)),
        "evidence_summary": _evidence(case, allegations),
    }


def _meeting_values(action: LaborAction | None, letter_date: date) -> dict[str, str]:
    if action is None or action.meeting_on is None:
        raise InvalidInput(
            {
                "meeting_on": "Record the date of the pre-disciplinary meeting on the labor relations "
                "record first: the notice tells the employee when it is."
            }
        )
    if action.meeting_on < letter_date:
        raise InvalidInput(
            {"letter_date": f"The notice must be dated on or before the meeting of {action.meeting_on.isoformat()}."}
        )
    return {"meeting_date": long_date(action.meeting_on)}


def _notice_facts(action: LaborAction) -> deadlines.Facts:
    """The subject's dated events as they will be once this notice is printed (today, whatever its date)."""
    return deadlines.Facts(
        notice_issued_on=action.notice_issued_on or clock.local_today(),
        effective_on=action.effective_on,
        decision_on=action.decision_on,
        employee_copy_on=action.employee_copy_on,
    )


def _check_notice_dates(action: LaborAction, letter_date: date) -> None:
    errors: dict[str, str] = {}
    if action.decision_on and letter_date < action.decision_on:
        errors["letter_date"] = (
            f"The notice of discipline cannot come before the decision to discipline of "
            f"{action.decision_on.isoformat()}."
        )
    elif action.notice_issued_on is None and action.employee_copy_on and action.employee_copy_on < letter_date:
        errors["letter_date"] = (
            f"The employee was given a copy on {action.employee_copy_on.isoformat()}; the "
            "notice cannot be dated after it."
        )
    elif action.notice_issued_on is None and not action.immediate_dismissal:
        problems = deadlines.not_before_problems(action.imposed_step, _notice_facts(action))
        if problems:
            errors["letter_date"] = " ".join(problems)
    if errors:
        raise InvalidInput(errors)


def _required_record(action: LaborAction) -> None:
    """The decision, its decision-maker and the effective date are on the record before a notice prints."""
    missing = {}
    if action.decision_on is None or action.decided_by is None:
        missing["decision_on"] = (
            "Record the decision to discipline, with its date and the appointing authority who made it, "
            "first: the notice states it and is signed by the decision-maker."
        )
    if action.effective_on is None:
        missing["effective_on"] = (
            "Record the effective date first: a notice of discipline states when the discipline takes effect."
        )
    if missing:
        raise InvalidInput(missing)


def _effective(action: LaborAction) -> str:
    assert action.effective_on is not None
    if action.immediate_dismissal and action.meeting_on is not None:
        reason = " ".join(action.immediate_dismissal_reason.split())
        return (
            f"at the close of the pre-disciplinary meeting on {long_date(action.meeting_on)}, under section "
            f"5-240-8a(b) of the Regulations of Connecticut State Agencies, for this specific reason: {reason}"
        )
    days = action.imposed_suspension_days
    if days:
        return (
            f"on {long_date(action.effective_on)}: the suspension of {days} day{'s' if days != 1 else ''} begins then"
        )
    return f"on {long_date(action.effective_on)}"


def _discipline_values(subject: CaseSubject, action: LaborAction | None, letter_date: date) -> dict[str, str]:
    step = action.imposed_step if action is not None else None
    if action is None or step is None:
        raise InvalidInput(
            {
                "kind": "Record the discipline imposed on the labor relations record first: the notice "
                "of discipline states it."
            }
        )
    if not step.is_discipline:
        raise InvalidInput(
            {
                "kind": f"{step.name} is not a disciplinary step on the department's ladder, so there is no "
                "notice of discipline to print."
            }
        )
    _required_record(action)
    _check_notice_dates(action, letter_date)
    unit = subject.employee.bargaining_unit
    rights = rights_of(unit)
    if rights is None:
        raise InvalidInput(
            {
                "kind": f"No appeal rights are on file for the bargaining unit {unit!r}: add it to "
                "seed_data/bargaining_units.toml (RCSA 5-240-8a(a): the notice must state them)."
            }
        )
    days = action.imposed_suspension_days
    assert action.decision_on is not None and action.decided_by is not None
    return {
        "step": step.name,
        "suspension_days": str(days) if days else "",
        "discipline": f"{step.name} of {days} day{'s' if days != 1 else ''}" if days else step.name,
        "decision_date": long_date(action.decision_on),
        "effective_date": _effective(action),
        "appeal_rights": rights.appeal_rights,
        "representation": rights.representation,
        "rebuttal_statement": REBUTTAL_STATEMENT,
        "signer_name": action.decided_by.name,
        "signer_title": SIGNER_TITLE,
    }


def letter_values(case: Case, subject: CaseSubject, kind: str, letter_date: date, actor: Actor) -> dict[str, str]:
    """Every placeholder's value for this letter; ``InvalidInput`` when the case cannot support it yet."""
    check_letter_kind(kind)
    today = clock.local_today()
    if letter_date > today:
        raise InvalidInput({"letter_date": f"A letter cannot be dated in the future (today is {today.isoformat()})."})
    allegations = sustained_allegations_of(subject)
    if not allegations:
        raise InvalidInput(
            {
                "subject": f"No allegation against {subject.employee.display_name} is sustained, so "
                "there is no letter to print."
            }
        )
    values = _common_values(case, subject, letter_date, actor, allegations)
    action = labor_action_of(subject)
    if kind == "pre_disciplinary_notice":
        values |= _meeting_values(action, letter_date)
    else:
        values |= _discipline_values(subject, action, letter_date)
    # a letter goes to the employee: the reporter and every protected person stay out of it, in any spelling
    protected = casework.protected_identifiers(case)
    return {key: without_note_references(masking.mask(value, protected)) for key, value in values.items()}
