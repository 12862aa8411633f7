"""Every case route x every role x every case state, with the status each must get.

The expectations are written here as a table of who may do what in which state, independently of
``project.permissions``; the test fails when the app disagrees, and when a route exists that the
table does not cover.
"""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from tests.factories import PASSWORD

STATES = ("intake", "open", "in_review", "approved", "discipline", "closed")
ALL = frozenset(STATES)
INVESTIGATION = frozenset({"intake", "open"})

# role -> states in which the role sees the case (world.investigator is the assigned investigator
# from "open" on; intake cases are unassigned and in every investigator's queue; the subject-supervisor
# is a supervisor who is the case's subject once one is linked, i.e. from "open" on).
VIEW = {
    "investigator": ALL,
    "investigator2": frozenset({"intake"}),
    "supervisor": ALL,
    "labor": frozenset({"approved", "discipline", "closed"}),
    "admin": frozenset(),
    "subject_supervisor": frozenset({"intake"}),
}
EDIT = {"investigator": INVESTIGATION, "investigator2": frozenset({"intake"})}
REVIEW = {"supervisor": frozenset({"in_review"})}
LABOR = {"labor": frozenset({"approved", "discipline"})}
REDACT = {
    "investigator": ALL - {"intake"},
    "supervisor": ALL,
    "labor": VIEW["labor"],
    "subject_supervisor": frozenset({"intake"}),
}
# who sees the reporter, and so lists and removes the case's protected people: the supervisors, the assigned
# investigator, and in intake the investigator who logged the complaint (world.investigator), never labor relations
REPORTER = {"investigator": ALL, "supervisor": ALL, "subject_supervisor": frozenset({"intake"})}
# a subject's administrative leave (issue 18): labor relations and supervisors, wherever they see the case
LEAVE = {"supervisor": ALL, "labor": frozenset({"approved", "discipline", "closed"})}
PRINT = {
    "labor": frozenset({"approved", "discipline", "closed"}),
    "supervisor": frozenset({"approved", "discipline", "closed"}),
}
# endpoint -> {role: states in which the action is allowed}; absent role: never.
ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "cases.show": VIEW,
    "cases.timeline": VIEW,
    "cases.edit": EDIT,
    "records.post": EDIT,
    "records.new_allegation": EDIT,
    "reviews.assign": {"supervisor": INVESTIGATION, "subject_supervisor": frozenset({"intake"})},
    "reviews.submit": {"investigator": frozenset({"open"})},
    "reviews.review": REVIEW,
    "discipline.propose": EDIT,
    "discipline.modify": REVIEW,
    "just_cause.answer": REVIEW,  # the seven tests of just cause, at review
    "labor.record": LABOR,
    "letters.index": LABOR,
    "grievances.show": {"labor": frozenset({"discipline", "closed"})},  # filing after the close reopens the case
    "packets.print_one": {
        "labor": frozenset({"approved", "discipline", "closed"}),
        "supervisor": frozenset({"approved", "discipline", "closed"}),
    },
    # the notice before a public release (C.G.S. 1-214), an objection to it and its resolution: whoever prints
    # the case's packets records them
    "packets.record_notice": PRINT,
    "packets.record_objection": PRINT,
    "packets.resolve_objection": PRINT,
    "evidence.index": VIEW,
    "evidence.upload": EDIT,
    "evidence.show": VIEW,
    "evidence.original": VIEW,
    "evidence.download": VIEW,
    "evidence.thumbnail": VIEW,
    "redaction.redact": REDACT,
    "evidence.review_release": REDACT,  # whoever may redact reviews for release
    "evidence.withdraw": {  # the assigned investigator before submission, a supervisor before closing
        "investigator": frozenset({"open"}),
        "supervisor": ALL - {"closed"},
        "subject_supervisor": frozenset({"intake"}),
    },
    "reviews.close": {"supervisor": frozenset({"discipline"}), "labor": frozenset({"discipline"})},
    "reviews.reopen": {"supervisor": frozenset({"closed"})},
    "records.add_protected_person": REPORTER,
    "records.people_roster": REPORTER,  # the people form's roster picker
    # interviews, and why a subject was not interviewed: the investigator working the case while it is open
    "interviews.interview": {"investigator": frozenset({"open"})},
    "interviews.not_interviewed": {"investigator": frozenset({"open"})},
    # the employee picker (its page, its JSON, the confirmation) and unlinking: whoever edits the case
    "subjects.find": EDIT,
    "subjects.roster_matches": EDIT,
    "subjects.confirm": EDIT,
    "subjects.unlink": EDIT,
    "leave.subject_leave": LEAVE,
}
# allowed, but the page sends the person elsewhere first (no subject linked yet in intake)
REDIRECTS = {("records.new_allegation", "intake")}
# routes that name the case's first subject, or its Exhibit 1, besides the case number
SUBJECT_ROUTES = {
    "discipline.propose",
    "discipline.modify",
    "just_cause.answer",
    "labor.record",
    "letters.index",
    "grievances.show",
    "subjects.unlink",
    "leave.subject_leave",
}
EXHIBIT_ROUTES = {
    "evidence.show",
    "evidence.original",
    "evidence.download",
    "evidence.thumbnail",
    "redaction.redact",
    "evidence.review_release",
    "evidence.withdraw",
}
# routes whose URL needs a record of the case besides its number: checked in their own tests
RECORD_ROUTES = {
    "records.finding",
    "speech.screen",  # tests/web/test_speech_and_just_cause_pages.py
    "subjects.link",
    "records.add_note",
    "letters.download",
    "redaction.redacted",
    "records.remove_protected_person",
    "evidence.recording",
    "redaction.suggestions",
}  # the redacted copy needs a redaction: tests/web/test_redaction.py; the recording an audio or video exhibit:
# tests/web/test_media_pages.py; a suggestion run's page a run: tests/web/test_suggestion_runs.py


def expected(endpoint: str, role: str, state: str) -> int:
    if role == "anonymous":
        return 302
    if state not in VIEW[role]:
        return 404
    if state not in ACTIONS[endpoint].get(role, frozenset()):
        return 403
    return 302 if (endpoint, state) in REDIRECTS else 200


def case_get_routes(app: Flask) -> list[str]:
    return sorted(
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "number" in rule.arguments and "GET" in (rule.methods or ()) and rule.endpoint.split(".")[0] != "catalogue"
    )


def test_the_table_covers_every_case_route(app):
    uncovered = [e for e in case_get_routes(app) if e not in ACTIONS and e not in RECORD_ROUTES]
    assert uncovered == []


@pytest.mark.parametrize("state", STATES)
def test_every_case_route_for_every_role(app, world, state, sign_in):
    case = world.in_state(state, exhibit=True)
    if state != "intake":
        subject_number = case.subjects[0].employee.employee_number
    else:
        subject_number = "nobody"
    world.users.make("supervisor", email="subject.sup@example.test", employee_number=subject_number)
    accounts = {
        "investigator": world.investigator.email,
        "investigator2": world.investigator2.email,
        "supervisor": world.supervisor.email,
        "labor": world.labor.email,
        "admin": world.admin.email,
        "subject_supervisor": "subject.sup@example.test",
    }
    clients = {"anonymous": app.test_client()}
    for role, email in accounts.items():
        clients[role] = app.test_client()
        assert sign_in(clients[role], email, PASSWORD).status_code == 302
    wrong = []
    tried = 0
    urls = {}
    with app.test_request_context():
        for endpoint in ACTIONS:
            args: dict[str, object] = {"number": case.number}
            if endpoint in SUBJECT_ROUTES:
                if not case.subjects:
                    continue  # no subject in intake: nothing to address
                args["subject_id"] = case.subjects[0].id
            if endpoint in EXHIBIT_ROUTES:
                args["n"] = 1
            urls[endpoint] = url_for(endpoint, **args)
    for endpoint, url in urls.items():
        for role, client in clients.items():
            status = client.get(url).status_code
            tried += 1
            if status != expected(endpoint, role, state):
                wrong.append(f"{endpoint} as {role} in {state}: {status}, expected {expected(endpoint, role, state)}")
    assert wrong == []
    assert tried == len(urls) * len(clients) and len(urls) >= len(ACTIONS) - len(SUBJECT_ROUTES)


@pytest.mark.parametrize("path", ["/cases/SM-2099-9999", "/cases/SM-2099-9999/timeline", "/cases/nonsense/edit"])
def test_unknown_cases_are_404_for_everyone(client, world, path, sign_in):
    sign_in(client, world.supervisor.email, PASSWORD)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path,role,status",
    [
        ("/cases/", "admin", 403),
        ("/cases/", "investigator", 200),
        ("/cases/", "labor", 200),
        ("/cases/new", "admin", 403),
        ("/cases/new", "labor", 403),
        ("/cases/new", "investigator", 200),
        ("/cases/new", "supervisor", 200),
        ("/admin/users", "supervisor", 403),
        ("/admin/users", "admin", 200),
        ("/admin/roster", "admin", 200),
        ("/admin/roster", "investigator", 403),
        ("/catalogue/", "labor", 200),
        ("/admin/users/new", "admin", 200),
        ("/admin/users/new", "supervisor", 403),
        ("/auth/password", "labor", 200),
        ("/labor/packets", "investigator", 403),
    ],
)
def test_pages_outside_cases(client, world, path, role, status, sign_in):
    sign_in(client, getattr(world, role).email, PASSWORD)
    assert client.get(path).status_code == status


def test_posting_an_action_without_permission_changes_nothing(client, world, sign_in, csrf_token_from):
    case = world.in_review()
    sign_in(client, world.investigator2.email, PASSWORD)
    page = client.get("/cases/")

    token = csrf_token_from(page.get_data(as_text=True))
    for path, data in [
        (f"/cases/{case.number}/review", {"decision": "approved", "reasons": ""}),
        (f"/cases/{case.number}/notes", {"kind": "action", "body": "sneaky"}),
        (f"/cases/{case.number}/subjects", {"employee_number": "E00001"}),
    ]:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404
    from project.extensions import db

    db.session.refresh(case)
    assert case.state == "in_review" and case.content_version == case.content_version
