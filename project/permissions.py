"""Who may do what to which case in which state. One predicate per action, used by the views (through
``project.web.access``), by the services (which refuse with ``NotPermitted``) and by the templates.

Every case predicate starts from ``can_view_case``: nobody acts on a case they may not see, and nobody
ever sees a case about themselves (matched through the roster's employee number), whatever their roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask import current_app, has_app_context

from project.models import Case, CaseState, Role

INVESTIGATION_STATES = (CaseState.INTAKE, CaseState.OPEN)
LABOR_STATES = (CaseState.APPROVED, CaseState.DISCIPLINE, CaseState.CLOSED)


class NotPermitted(PermissionError):
    """The user may not do this to this case in its present state."""


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _has(user: Any, *roles: Role) -> bool:
    return _signed_in(user) and user.has_role(*roles)


def _state(case: Case) -> CaseState:
    return CaseState(case.state)


def is_subject_of(user: Any, case: Case) -> bool:
    number = getattr(user, "employee_number", None)
    return bool(number) and any(s.employee.employee_number == number for s in case.subjects)


def is_assigned_investigator(user: Any, case: Case) -> bool:
    return _has(user, Role.INVESTIGATOR) and case.assigned_investigator_id == user.id


def _in_intake_queue(user: Any, case: Case) -> bool:
    return _has(user, Role.INVESTIGATOR) and _state(case) is CaseState.INTAKE and case.assigned_investigator_id is None


def has_investigated(user: Any, case: Case) -> bool:
    """Was this user ever the case's investigator (now or in its assignment history)?"""
    return case.assigned_investigator_id == user.id or any(t.assignee_id == user.id for t in case.transitions)


# Catalogue, accounts, roster -------------------------------------------------------------------------


def can_view_catalogue(user: Any) -> bool:
    return _signed_in(user)


def can_manage_users(user: Any) -> bool:
    return _has(user, Role.ADMIN)


def is_appointing_authority(user: Any) -> bool:
    """RCSA 5-240-1a(a): who decides discipline and signs its notice of discipline."""
    return _has(user, Role.APPOINTING_AUTHORITY)


def can_manage_roster(user: Any) -> bool:
    return _has(user, Role.ADMIN)


def can_log_complaint(user: Any) -> bool:
    return _has(user, Role.INVESTIGATOR, Role.SUPERVISOR)


def can_see_labor_list(user: Any) -> bool:
    return _has(user, Role.LABOR_RELATIONS, Role.SUPERVISOR)


def can_list_cases(user: Any) -> bool:
    return _has(user, Role.INVESTIGATOR, Role.SUPERVISOR, Role.LABOR_RELATIONS)


# Cases ---------------------------------------------------------------------------------------------


def can_view_case(user: Any, case: Case) -> bool:
    if not _signed_in(user) or is_subject_of(user, case):
        return False
    if _has(user, Role.SUPERVISOR):
        return True
    if _has(user, Role.LABOR_RELATIONS) and _state(case) in LABOR_STATES:
        return True
    return is_assigned_investigator(user, case) or _in_intake_queue(user, case)


def logged_it_in_intake(user: Any, case: Case) -> bool:
    """The investigator who logged this complaint, while it waits unassigned in the intake queue: they typed
    the reporter in, so hiding it from them protects nobody. Once the case is given to someone else they no
    longer see the case at all; if it is given to them, they see the reporter as its investigator."""
    return _in_intake_queue(user, case) and case.created_by_id == user.id


def can_see_reporter(user: Any, case: Case) -> bool:
    """See the reporter and every protected person of the case (and list or remove them). Everyone else sees
    their identifiers masked in every field of every page."""
    return can_view_case(user, case) and (
        _has(user, Role.SUPERVISOR) or is_assigned_investigator(user, case) or logged_it_in_intake(user, case)
    )


def can_edit_case(user: Any, case: Case) -> bool:
    """Change what the case says: posts, subjects, exhibits, notes, allegations, findings, proposals."""
    if not can_view_case(user, case) or _state(case) not in INVESTIGATION_STATES:
        return False
    return is_assigned_investigator(user, case) or _in_intake_queue(user, case)


def can_unlink_subject(user: Any, case: Case) -> bool:
    """Take off a subject linked by mistake: whoever edits the case, so only while it is in intake or open."""
    return can_edit_case(user, case)


def can_record_interview(user: Any, case: Case) -> bool:
    """Record or change an interview, or why a subject was not interviewed: the investigator working the case,
    while it is open for investigation (not in intake, not once submitted)."""
    return can_view_case(user, case) and is_assigned_investigator(user, case) and _state(case) is CaseState.OPEN


def can_view_evidence(user: Any, case: Case) -> bool:
    return can_view_case(user, case)


def can_redact(user: Any, case: Case) -> bool:
    """Make redacted working copies of exhibits: whoever sees the evidence and is the assigned investigator,
    a supervisor or labor relations, in any state (labor relations redacts approved cases before release)."""
    return can_view_evidence(user, case) and (
        is_assigned_investigator(user, case) or _has(user, Role.SUPERVISOR, Role.LABOR_RELATIONS)
    )


def can_withdraw_exhibit(user: Any, case: Case) -> bool:
    """Withdraw an exhibit from the case: the assigned investigator while investigating (before submission),
    a supervisor at any time before the case is closed."""
    if not can_view_case(user, case):
        return False
    if _has(user, Role.SUPERVISOR) and _state(case) is not CaseState.CLOSED:
        return True
    return is_assigned_investigator(user, case) and _state(case) in INVESTIGATION_STATES


def can_assign(user: Any, case: Case) -> bool:
    return can_view_case(user, case) and _has(user, Role.SUPERVISOR) and _state(case) in INVESTIGATION_STATES


def intake_self_assign() -> bool:
    """The department setting ``INTAKE_SELF_ASSIGN``: the investigator who logs a complaint may take it."""
    return has_app_context() and bool(current_app.config.get("INTAKE_SELF_ASSIGN", False))


def can_take_case(user: Any, case: Case) -> bool:
    """Take a complaint one logged (assign it to oneself) while it waits unassigned in intake, where the
    department setting allows it; otherwise a supervisor assigns it."""
    return intake_self_assign() and can_view_case(user, case) and logged_it_in_intake(user, case)


def can_submit(user: Any, case: Case) -> bool:
    return can_view_case(user, case) and is_assigned_investigator(user, case) and _state(case) is CaseState.OPEN


def can_review(user: Any, case: Case) -> bool:
    """Approve, approve with modification, return, or close from review. Never on a case one investigated."""
    return (
        can_view_case(user, case)
        and _has(user, Role.SUPERVISOR)
        and _state(case) is CaseState.IN_REVIEW
        and not has_investigated(user, case)
    )


def can_modify_discipline_records(user: Any) -> bool:
    """Record an award, a settlement or a grievance decision that modifies or rescinds discipline."""
    return _has(user, Role.LABOR_RELATIONS)


def can_record_leave(user: Any, case: Case) -> bool:
    """Record a subject's administrative leave (issue 18): labor relations or a supervisor who sees the case."""
    return can_view_case(user, case) and _has(user, Role.LABOR_RELATIONS, Role.SUPERVISOR)


def can_set_legal_hold(user: Any) -> bool:
    """Place or lift a legal hold on a case (issue 18): an administrator or a supervisor."""
    return _has(user, Role.ADMIN, Role.SUPERVISOR)


def can_open_sealed_history(user: Any) -> bool:
    """Open the sealed history of expunged discipline (issue 18), with a stated reason: an administrator."""
    return _has(user, Role.ADMIN)


def can_work_labor_relations(user: Any, case: Case) -> bool:
    return (
        can_view_case(user, case)
        and _has(user, Role.LABOR_RELATIONS)
        and _state(case) in (CaseState.APPROVED, CaseState.DISCIPLINE)
    )


def can_work_grievances(user: Any, case: Case) -> bool:
    """Labor relations records a subject's grievance, its steps, the arbitration and any settlement while the
    case is in discipline (the case cannot close while one is open)."""
    return can_view_case(user, case) and _has(user, Role.LABOR_RELATIONS) and _state(case) is CaseState.DISCIPLINE


def can_file_grievance(user: Any, case: Case) -> bool:
    """Labor relations records a grievance while the case is in discipline, or once it is closed: a case may close
    while the filing window is still open, and filing then reopens it in discipline until the grievance ends."""
    return (
        can_view_case(user, case)
        and _has(user, Role.LABOR_RELATIONS)
        and _state(case) in (CaseState.DISCIPLINE, CaseState.CLOSED)
    )


def can_print_packet(user: Any, case: Case) -> bool:
    """Labor relations and supervisors print the packet of an approved case (and later, for the grievance)."""
    return (
        can_view_case(user, case) and _has(user, Role.LABOR_RELATIONS, Role.SUPERVISOR) and _state(case) in LABOR_STATES
    )


def can_print_internal_packet(user: Any, case: Case) -> bool:
    """The internal (full) packet names the reporter and every protected person: only those who may print
    packets and may see the reporter (so a supervisor, not labor relations) print it."""
    return can_print_packet(user, case) and can_see_reporter(user, case)


def can_close(user: Any, case: Case) -> bool:
    """Close a case whose discipline is done (labor relations or a supervisor)."""
    return (
        can_view_case(user, case)
        and _has(user, Role.LABOR_RELATIONS, Role.SUPERVISOR)
        and _state(case) is CaseState.DISCIPLINE
    )


def can_reopen(user: Any, case: Case) -> bool:
    return can_view_case(user, case) and _has(user, Role.SUPERVISOR) and _state(case) is CaseState.CLOSED


class _InState:
    """The case as it would be in another state, for asking a predicate "would this be allowed then?"."""

    def __init__(self, case: Case, state: CaseState) -> None:
        self._case, self.state = case, state.value

    def __getattr__(self, name: str) -> Any:
        return getattr(self._case, name)


def refused_only_for_its_state(user: Any, case: Case, allowed: Callable[[Any, Case], bool]) -> bool:
    """Whether ``allowed`` refuses ``user`` only because of the state ``case`` is in now: in some other state
    it would allow them (the submit page of a case already submitted, opened again with Back)."""
    return any(
        allowed(user, cast(Case, _InState(case, state)))  # read like a Case by every predicate here
        for state in CaseState
        if state.value != case.state
    )


def require(allowed: bool, message: str = "You are not permitted to do this on this case.") -> None:
    if not allowed:
        raise NotPermitted(message)


PREDICATES = {name: value for name, value in globals().items() if name.startswith(("can_", "is_")) and callable(value)}
