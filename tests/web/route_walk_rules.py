"""The rules the route walk (``test_route_walk.py``) checks the app against: who reaches which route, and the
answer each try must get (a page, a refusal and its status, a sign-in redirect), with the ids each try uses and
who makes it. Written here and in ``test_route_permissions`` (VIEW, EDIT, ACTIONS), never read from
``project.permissions``.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule

from tests.web.route_walk_world import FORM_ID_FIELDS, is_case_rule
from tests.web.test_route_permissions import ACTIONS, EDIT, LABOR, LEAVE, REDACT, REPORTER, VIEW

# the probes: operators, no sign-in (issue 20); /metrics only from METRICS_ALLOWED_ADDRESSES, as the test
# client's 127.0.0.1 is (test_operations checks another address gets 404)
PUBLIC = {"auth.sign_in", "probes.healthz", "probes.readyz", "probes.metrics"}
ACCOUNT_PAGES = "/auth/"  # one's own account (sign-in, password, multi-factor): walked generically
# the case routes test_route_permissions leaves to other tests, stated in its words
STATED = ACTIONS | {
    "records.finding": EDIT,
    "speech.screen": EDIT,
    "subjects.link": EDIT,
    "records.add_note": EDIT,
    "redaction.redacted": VIEW,
    # redaction suggestions (issue 20): asking, and the run's page, are for whoever may redact
    "redaction.suggest": REDACT,
    "redaction.suggestions": REDACT,
    "letters.download": LABOR,
    "letters.print_letter": LABOR,
    "records.remove_protected_person": REPORTER,
    # an audio or video exhibit's player and transcript (issue 17): the walk's exhibit is a screenshot, which
    # has neither (404 for whoever may see it); tests/web/test_media_pages.py walks them with a recording
    "evidence.recording": VIEW,
    "evidence.transcript": EDIT,
    # taking a complaint from intake: nobody under the default department setting (INTAKE_SELF_ASSIGN off);
    # tests/web/test_intake_taking.py covers the setting on
    "reviews.take": {},
    # ending a subject's administrative leave (issue 18): whoever records it (the page is in ACTIONS);
    # tests/web/test_records_pages.py records and ends leave
    "leave.end": LEAVE,
}
# "unrelated" investigates case B only; like investigator2 they meet case A only in the intake queue, which
# is every investigator's. Here case A's subject is linked from intake on, so the subject-supervisor never sees it.
CASE_ACTIONS = {e: r | ({"unrelated": r["investigator2"]} if "investigator2" in r else {}) for e, r in STATED.items()}
SEES = VIEW | {"subject_supervisor": frozenset(), "unrelated": VIEW["investigator2"]}
ROLES = {
    "investigator": {"investigator"},
    "investigator2": {"investigator"},
    "unrelated": {"investigator"},
    "supervisor": {"supervisor"},
    "subject_supervisor": {"supervisor"},
    "labor": {"labor_relations"},
    "admin": {"admin"},
}
EVERYONE = {"investigator", "supervisor", "labor_relations", "admin"}
SITE_PAGES: dict[str, set[str]] = {  # endpoint, or whole blueprint -> roles that reach it
    "main.home": EVERYONE,
    "catalogue": EVERYONE,
    "admin": {"admin"},
    "inbox": EVERYONE,
    "cases.index": EVERYONE - {"admin"},
    "cases.export": EVERYONE - {"admin"},
    "cases.new": {"investigator", "supervisor"},
    "labor.index": {"labor_relations", "supervisor"},
    "packets.batch": {"labor_relations", "supervisor"},
    "letters.templates": {"labor_relations"},
    "letters.edit_template": {"labor_relations"},
    "retention": {"admin", "supervisor"},  # legal holds (issue 18)
    "retention.sealed_history": {"admin"},
    "probes": EVERYONE,  # /healthz, /readyz (and /metrics from its addresses) answer signed in or not
}
SEES_B = {"supervisor", "subject_supervisor", "labor", "unrelated"}  # case B: in discipline, unrelated's case
JOB_ROUTES = {"packets.job", "packets.download"}  # only whoever asked for the job (a supervisor, for case A's)
BATCH_STATES = {"approved", "discipline"}  # the cases the batch page offers
USERS = ("anonymous", *ROLES)


def walked_rules(app: Flask) -> list[Rule]:
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: (r.rule, r.endpoint))


def kind_of(rule: Rule) -> str:
    if is_case_rule(rule):
        return "case"
    if rule.endpoint in JOB_ROUTES:
        return "job"
    return "account" if rule.rule.startswith(ACCOUNT_PAGES) else "site"


# called by the pages' scripts (fetch), never opened as a page: "Stay signed in" (issue 16, item 4)
SCRIPT_ONLY = {"auth.keep_alive"}


def site_roles(endpoint: str) -> set[str] | None:
    return SITE_PAGES.get(endpoint, SITE_PAGES.get(endpoint.split(".")[0]))


def judge(endpoint: str, kind: str, user: str, state: str) -> tuple[bool, int]:
    """(may this signed-in person do it to case A in ``state``, the status of a refusal)."""
    if kind == "case":
        if state not in SEES[user]:
            return False, 404  # the case's existence stays hidden
        return state in CASE_ACTIONS[endpoint].get(user, frozenset()), 403
    if kind == "job":
        return user == "supervisor" and state in CASE_ACTIONS["packets.print_one"]["supervisor"], 404
    if kind == "account":
        return True, 0
    return bool(ROLES[user] & (site_roles(endpoint) or set())), 403


def expectation(rule: Rule, method: str, user: str, state: str, variant: str) -> tuple[int | None, bool] | None:
    """(the status, None for "anything below 500"; is it a refusal that must change nothing), or None when the
    request is not made: an allowed POST with case A's own records would change case A under the walk."""
    endpoint, kind = rule.endpoint, kind_of(rule)
    if user == "anonymous":
        if endpoint in SCRIPT_ONLY:
            return 401, True  # a script's call answers in JSON: nobody to send to the sign-in page
        if endpoint not in PUBLIC:
            return 302, True
        return (200, False) if method == "GET" else None
    allowed, refusal = judge(endpoint, kind, user, state)
    if endpoint == "packets.batch" and method == "POST" and allowed:  # its form names case A
        may_print = state in BATCH_STATES and judge("packets.print_one", "case", user, state)[0]
        return None if may_print else (400, True)
    if variant == "missing" and kind == "case" and set(rule.arguments) == {"number"}:
        return 404, True  # no such case, for everyone
    if not allowed:
        return refusal, True
    if endpoint == "evidence.recording" and variant == "own":
        return 404, True  # Exhibit n is a screenshot: it has no recording to play
    if variant == "own":
        return ((None if kind == "account" else 200), False) if method == "GET" else None
    return (400 if variant.startswith("foreign_form") else 404), True


def variants(rule: Rule, method: str) -> list[str]:
    found = ["own"]
    if is_case_rule(rule) and set(rule.arguments) - {"number"}:
        found.append("foreign_url")
    if is_case_rule(rule) and method == "POST":
        found += [f"foreign_form:{field}" for field in FORM_ID_FIELDS.get(rule.endpoint, {})]
    if set(rule.arguments) - {"change"}:
        found.append("missing")
    return found


def walkers(rule: Rule, variant: str, state: str) -> tuple[str, ...]:
    """Who is walked with a variant. Anonymous is sent to sign in before any record is looked up: only with
    case A's own. Case B's records are tried by whoever sees case A or case B (a route that trusted a record's
    own case instead of the case in the URL would show B's records to them); records that do not exist, by
    whoever sees case A (the others are refused the case itself, as the walk with its own records checks)."""
    if variant == "own":
        return USERS
    if not is_case_rule(rule):
        return USERS[1:]
    return tuple(user for user in USERS[1:] if state in SEES[user] or (variant != "missing" and user in SEES_B))
