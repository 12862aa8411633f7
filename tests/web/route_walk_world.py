"""The world the route walk (``test_route_walk.py``) runs in: its cases and people, the parameters and forms it
fills in, and the database's state it compares.

Two cases, built through the services: case A, the target, in the state under test, and case B, another case,
in discipline, investigated by someone else. Each has a reported post, a subject, a note, an allegation, a
protected witness, exhibits (B one more than A, so B's last exhibit number does not exist in A) and a
redacted copy; from discipline on each also has a labor relations record and a printed letter. From approval
on, case A has a packet job printed by labor relations (in the walk of the routes that are not a case's). The
people are the ``World``'s, a supervisor who is case A's subject, and "unrelated", who investigates case B only.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import Connection, Select, func, select
from werkzeug.routing import Rule

from project import clock
from project.extensions import db
from project.models import LegalHold, Notification, RoleGrant, SuggestionRun, User
from project.models.documents.packets import LETTER_KINDS
from project.services import casework, evidence, labor, packets, records
from project.services.discipline import ProposalInput, propose_discipline, suggest_step
from tests.factories import PASSWORD, World, answer_just_cause, element_answers, screen_speech

STATES = ("intake", "open", "in_review", "approved", "discipline", "closed")
NOWHERE = 987654  # an id no record has
NO_CASE = "SM-2099-9999"
NO_JOB = "0" * 32
# Converters the walk knows how to fill; a rule with any other fails test_every_rule_is_walkable.
CONVERTERS = {"UnicodeConverter", "IntegerConverter", "BoundedIntConverter", "AnyConverter"}
# form fields that carry the id of a record of the case, by endpoint: field -> key of the case's ids
FORM_ID_FIELDS: dict[str, dict[str, str]] = {
    "records.add_note": {"corrects": "note"},
    "records.new_allegation": {"subject": "subject_id", "exhibits": "exhibit"},
    "records.finding": {"exhibits": "exhibit"},
    "interviews.interview": {"recordings": "exhibit", "garrity_exhibit": "exhibit"},
    "interviews.not_interviewed": {"subject": "subject_id"},
    "packets.batch": {"cases": "number"},
}


def build_case(world: World, state: str, investigator: User, exhibits: int = 1, job: bool = True) -> dict[str, Any]:
    """A case taken through the services to ``state`` with records of every kind; its record ids by name."""
    config = current_app.config
    queue, supervisor, labor_relations = (world.actor(u) for u in (world.investigator, world.supervisor, world.labor))
    assigned = world.actor(investigator)
    case = world.intake(title=f"Walk: a case in {state}")
    shots = [world.add_screenshot(case, text=f"Look at these keys ({n})") for n in range(exhibits)]
    subject = world.with_subject(case)
    note = casework.add_note(case, "action", "Called the facility.", queue)
    clause = next(c for c in casework.citable_clauses() if c.number == "5.b.i.2")
    allegation = casework.frame_allegation(
        case, subject, casework.AllegationInput(f"clause:{clause.id}", "", [shots[0].id]), queue
    )
    evidence.redact_exhibit(
        case,
        shots[0],
        evidence.RedactionInput([{"x": 0, "y": 0, "w": 40, "h": 20}], "Hides a bystander's name."),
        supervisor,
        config["EVIDENCE_DIR"],
    )
    # a suggestion run still waiting for a worker (one that ran would send its page on to the redaction page)
    run = SuggestionRun(
        id=secrets.token_hex(16), exhibit_id=shots[-1].id, requested_by_id=investigator.id, created_at=clock.now()
    )
    db.session.add(run)
    db.session.commit()
    witness = casework.add_protected_person(
        case, casework.ProtectedPersonInput("witness", "Wanda Witness", phone="860-555-0199"), supervisor
    )
    leave = records.record_leave(
        case, subject, records.LeaveInput("paid", clock.local_today(), None, "Pending the investigation."), supervisor
    )
    ids: dict[str, Any] = {
        "period_id": leave.id,
        "number": case.number,
        "post_id": case.posts[0].id,
        "subject_id": subject.id,
        "allegation_id": allegation.id,
        "n": shots[-1].number,
        "note": note.id,
        "exhibit": shots[-1].id,
        "letter_id": None,
        "job_id": None,
        "run_id": run.id,
        "employee": subject.employee.employee_number,
        "protected_id": witness.id,
        "interview_id": None,  # recorded before the case is submitted
    }

    def submit() -> None:
        screen_speech(case, allegation, assigned)
        casework.record_finding(
            case,
            allegation,
            casework.FindingInput(
                "sustained", "The post shows the keypad.", [], element_answers(allegation, "sustained")
            ),
            assigned,
            allegation.row_version,
        )
        suggested = suggest_step(subject, clock.local_today()).step
        justification = "" if suggested is not None and suggested.code == "suspension" else "Agreed with LR."
        propose_discipline(case, subject, ProposalInput("suspension", 3, justification), assigned, None)
        ids["interview_id"] = world.interviewed(case, subject, by=investigator).id
        casework.submit_for_review(case, assigned)

    def approve() -> None:
        answer_just_cause(case, supervisor)
        casework.approve_outcome(case, supervisor, "Agreed.")
        if job:
            # the internal packet names the reporter: a supervisor prints it (labor relations no longer may)
            ids["job_id"] = packets.start_packet_job(case, packets.PacketOrder("full", None), supervisor).id

    def begin_discipline() -> None:  # the first labor relations record moves the case into discipline
        world.labor_record(
            case,
            decision_on=clock.local_today(),
            imposed_step="suspension",
            imposed_suspension_days=3,
            effective_on=clock.local_today(),
        )
        letter, _ = labor.print_letter(
            case,
            subject,
            labor.LetterOrder("notice_of_discipline", clock.local_today()),
            labor_relations,
            config["EVIDENCE_DIR"],
        )
        ids["letter_id"] = letter.id

    steps: list[tuple[str, Callable[[], None]]] = [
        ("open", lambda: casework.assign_investigator(case, investigator, supervisor)),
        ("in_review", submit),
        ("approved", approve),
        ("discipline", begin_discipline),
        ("closed", lambda: casework.close_case(case, labor_relations, "Discipline imposed.")),
    ]
    for reached, step in steps:
        if STATES.index(reached) > STATES.index(state):
            break
        step()
    assert case.state == state
    return ids


def make_world(
    world: World, state: str, other_case: bool = True
) -> tuple[dict[str, Any], dict[str, Any], dict[str, int]]:
    """Case A in ``state`` (with a packet job when there is no case B), case B, and the people's ids."""
    unrelated = world.users.make("investigator", email="unrelated@example.test", name="Una Unrelated")
    other = build_case(world, "discipline", unrelated, exhibits=2, job=False) if other_case else {}
    own = build_case(world, state, world.investigator, job=not other_case)
    world.users.make("supervisor", email="subject.sup@example.test", employee_number=own["employee"])
    return own, other or own, {"investigator": world.investigator.id, "unrelated": unrelated.id}


def signed_in(app: Flask, world: World, sign_in: Callable[..., Any]) -> dict[str, FlaskClient]:
    emails = {
        "investigator": world.investigator.email,
        "investigator2": world.investigator2.email,
        "supervisor": world.supervisor.email,
        "subject_supervisor": "subject.sup@example.test",
        "labor": world.labor.email,
        "admin": world.admin.email,
        "unrelated": "unrelated@example.test",
    }
    clients = {"anonymous": app.test_client()}
    for user, email in emails.items():
        clients[user] = app.test_client()
        assert sign_in(clients[user], email, PASSWORD).status_code == 302, user
    return clients


def token_for(client: FlaskClient, user: str, csrf_token_from: Callable[[str], str]) -> str:
    page = client.get("/auth/sign-in" if user == "anonymous" else "/")
    return csrf_token_from(page.get_data(as_text=True))


# Not the request's own changes: each request may touch its session's last-seen time, and each refusal is
# audited (issue 15, F6: an access.refused event, the minute's tally and the chain head that follows it).
BOOKKEEPING = {"user_sessions", "refusal_tallies", "audit_chain_head"}


def _rows_of(table: Any) -> Select[Any]:
    query = select(table)
    if table.name == "audit_events":
        query = query.where(table.c.action != "access.refused")
    return query


def fingerprint_query() -> Select[Any]:
    """Row counts of every table, and the sum of row versions where there are some (bookkeeping aside)."""
    parts = []
    for table in db.metadata.sorted_tables:
        if table.name not in BOOKKEEPING:
            parts.append(select(func.count()).select_from(_rows_of(table).subquery()).scalar_subquery())
            if "row_version" in table.c:
                parts.append(select(func.coalesce(func.sum(table.c.row_version), 0)).scalar_subquery())
    return select(*parts)


def fingerprint(conn: Connection, query: Select[Any]) -> tuple[Any, ...]:
    found = tuple(conn.execute(query).one())
    conn.rollback()  # see the next request's commits, hold no transaction open meanwhile
    return found


def contents() -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as conn:
        return {
            t.name: [tuple(row) for row in conn.execute(_rows_of(t).order_by(*t.primary_key.columns))]
            for t in db.metadata.sorted_tables
            if t.name not in BOOKKEEPING
        }


def is_case_rule(rule: Rule) -> bool:
    return rule.rule.startswith("/cases/<number>")


def fillable(rule: Rule) -> list[str]:
    """What the walk cannot fill in the rule: unknown converters and parameter names."""
    problems = [
        f"{rule.rule}: {name} uses {type(c).__name__}"
        for name, c in rule._converters.items()
        if type(c).__name__ not in CONVERTERS
    ]
    known = set(FILLERS) | {"change"}
    return problems + [f"{rule.rule}: no filler for <{name}>" for name in sorted(rule.arguments - known)]


def _any_item(rule: Rule) -> str:
    return sorted(rule._converters["change"].items)[0]  # type: ignore[attr-defined]


# parameter -> (rule, own ids, people's ids) -> value; "number" is the case's number or a directive's
FILLERS: dict[str, Callable[[Rule, dict[str, Any], dict[str, int]], Any]] = {
    "number": lambda rule, ids, people: ids["number"] if is_case_rule(rule) else "2.26",
    "n": lambda rule, ids, people: ids["n"],
    "post_id": lambda rule, ids, people: ids["post_id"],
    "subject_id": lambda rule, ids, people: ids["subject_id"],
    "allegation_id": lambda rule, ids, people: ids["allegation_id"],
    "letter_id": lambda rule, ids, people: ids["letter_id"],
    "job_id": lambda rule, ids, people: ids["job_id"],
    "run_id": lambda rule, ids, people: ids["run_id"],
    "user_id": lambda rule, ids, people: people["unrelated"],
    "grant_id": lambda rule, ids, people: db.session.scalar(select(func.min(RoleGrant.id))) or 1,
    # case A's assignment notice (the investigator's); tests/web/test_inbox.py proves others get 404 for it
    "notification_id": lambda rule, ids, people: db.session.scalar(select(func.min(Notification.id))),
    "kind": lambda rule, ids, people: LETTER_KINDS[0],
    "person_id": lambda rule, ids, people: ids["protected_id"],
    "interview_id": lambda rule, ids, people: ids["interview_id"],
    "period_id": lambda rule, ids, people: ids["period_id"],
    "hold_id": lambda rule, ids, people: db.session.scalar(select(func.min(LegalHold.id))) or 1,
}
MISSING = {"number": NO_CASE, "job_id": NO_JOB, "run_id": NO_JOB, "kind": "no_such_kind"}


def url_values(
    rule: Rule, own: dict[str, Any], other: dict[str, Any], people: dict[str, int], variant: str
) -> dict[str, Any] | None:
    """The rule's parameters for a variant: "own" (case A's records), "foreign_url" (case A's number with
    case B's records), "missing" (records that do not exist; the case's number when it is the only one),
    or "foreign_form:<field>" (case A's, with case B's record in that form field). None when case A has no
    such record."""
    values: dict[str, Any] = {}
    for name in rule.arguments:
        if name == "change":
            values[name] = _any_item(rule)
        elif name != "number" and variant == "missing":
            values[name] = MISSING.get(name, NOWHERE)
        else:
            values[name] = FILLERS[name](rule, other if variant == "foreign_url" and name != "number" else own, people)
    if variant == "missing" and set(rule.arguments) - {"change"} == {"number"}:
        values["number"] = NO_CASE if is_case_rule(rule) else "0.00"
    return None if any(v is None for v in values.values()) else values


def tiny_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


ROSTER_CSV = (
    "employee_number,last_name,first_name,title,facility,bargaining_unit,hire_date\n"
    "E09999,Walker,Sam,Correction Officer,Cheshire CI,NP-4,2015-01-05\n"
)
PLAUSIBLE: dict[str, Any] = {
    "title": "A title",
    "complaint_source": "staff_report",
    "received_at": "2026-03-01T10:00",
    "platform": "facebook",
    "text": "Post text.",
    "kind": "action",
    "body": "A line of text.",
    "reasoning": "Because.",
    "finding": "sustained",
    "step": "counseling",
    "justification": "Agreed.",
    "decision": "approved",
    "reasons": "Agreed.",
    "reason": "A reason.",
    "comment": "Ready.",
    "variant": "full",
    "recipient": "union, grievance step 2",
    "notified": "The employee and the union steward",
    "request": "FOIA request 2026-114",
    "notified_on": "2026-01-05",
    "objection_on": "2026-01-06",
    "objection": "The employee objects in writing.",
    "resolved_on": "2026-01-07",
    "resolution": "FOI Commission order",
    "outcome": "withhold",
    "typed_regions": "0,0,10,10",
    "description": "Screenshot",
    "captured_by": "Ivy",
    "capture_method": "Browser",
    "email": "new.person@example.test",
    "name": "New Person",
    "roles": "investigator",
    "password": "a long enough password phrase",
    "current_password": "x",
    "new_password": "another long phrase",
    "code": "123456",
}
PER_ENDPOINT: dict[str, Callable[[], dict[str, Any]]] = {
    "letters.print_letter": lambda: {"kind": "notice_of_discipline"},
    "evidence.upload": lambda: {"file": (io.BytesIO(tiny_png()), "capture.png")},
    "admin.roster_import": lambda: {"file": (io.BytesIO(ROSTER_CSV.encode()), "roster.csv")},
    "admin.discipline_import": lambda: {"file": (io.BytesIO(b"employee_number\n"), "prior.csv")},
}


def form_data(
    endpoint: str,
    ids: dict[str, Any],
    people: dict[str, int],
    clause_id: int,
    foreign: tuple[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Plausible form data for any POST route, with ``ids``' records in the fields that name one, except
    ``foreign``'s field, which names a record of that other case."""
    today = clock.local_today().isoformat()
    data = PLAUSIBLE | {
        "letter_date": today,
        "decision_on": today,
        "citation": f"clause:{clause_id}",
        "investigator": str(people["investigator"]),
        "employee_number": ids["employee"],
    }
    data |= PER_ENDPOINT.get(endpoint, dict)()
    for field, key in FORM_ID_FIELDS.get(endpoint, {}).items():
        value = str((foreign[1] if foreign and foreign[0] == field else ids)[key])
        data[field] = [value] if field in ("exhibits", "cases") else value
    return data
