"""Access control, proven by walking the whole URL map (OWASP ASVS 4.0.3 V4.1.1, V4.1.2, V4.1.3, V4.1.5,
V4.2.1, V4.3.3).

Every rule of ``app.url_map`` but the static files, with every method but HEAD and OPTIONS, is requested by
anonymous, by each kind of person (the assigned investigator, another investigator, a supervisor, a supervisor
who is the case's subject, labor relations, an admin) and by "unrelated", who works another case only: the
case routes with case A in each state of its life cycle, the other routes once. Each route is tried with
(i) case A's own records, (ii) case A's number with case B's records, in the URL or in the form's id fields,
and (iii) records that do not exist. A route added later is walked at once; one whose parameters the walk
cannot fill, or that the rules below do not cover, fails ``test_every_rule_is_walkable``. An allowed POST
with case A's own records is not sent (it would change case A under the walk): other tests make those.

The expected statuses come from the rules stated in ``route_walk_rules`` and ``test_route_permissions`` (VIEW,
EDIT, ACTIONS: who sees and acts on which case in which state), never from ``project.permissions``. What is
checked:
- V4.1.1, V4.1.2: the checks are the server's, on every route and method, whatever the client sends;
- V4.1.3: least privilege: 200 only where the rules allow it; 403 (sees the case) or 404 (does not) elsewhere;
  whoever may not see case A never gets 200 from its pages, anonymous is always sent to sign in, the admin
  pages are the admin role's;
- V4.1.5: failing securely: no 500 anywhere, and no refused request changes any table (row counts and row
  versions after each refused POST; every row of every table after all the refusals);
- V4.2.1: insecure direct object references: case B's records through case A are 404 (URL) or 400 (form),
  records that do not exist are 404 (403 for whoever sees the case but may not act);
- V4.3.3: segregation of duties: the supervisor who is case A's subject never reaches it, in any state.
The walk runs on SQLite and on PostgreSQL: every route, method and id variant on both, and each person's try of
it on one of the two in turn (``Share``), so that between them the two databases try every combination once.
With one database in the run it tries them all. The number of combinations tried is printed by each walk and,
in total per database, by ``test_walk_total``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from project.extensions import db
from project.services import casework
from tests.factories import World
from tests.web.route_walk_rules import (
    CASE_ACTIONS,
    PUBLIC,
    SEES,
    USERS,
    expectation,
    kind_of,
    site_roles,
    variants,
    walked_rules,
    walkers,
)
from tests.web.route_walk_world import (
    STATES,
    contents,
    fillable,
    fingerprint,
    fingerprint_query,
    form_data,
    is_case_rule,
    make_world,
    signed_in,
    token_for,
    url_values,
)

# One worker walks them all under pytest-xdist (`make test`), so that test_walk_total sees every walk of a database.
pytestmark = pytest.mark.xdist_group("route_walk")

WALKED: Counter[str] = Counter()  # backend -> requests made by the walk
WALKS_DONE: dict[str, set[str]] = {}  # backend -> the walks made


@dataclass(frozen=True)
class Try:
    rule: Rule
    method: str
    user: str
    variant: str
    url: str
    data: Callable[[], dict[str, Any]] | None
    expect: int | None
    refused: bool

    def __str__(self) -> str:
        return f"{self.method} {self.url} [{self.rule.endpoint}] as {self.user} ({self.variant})"


@dataclass(frozen=True)
class Share:
    """Which of the people a database walks: the walk runs on SQLite and on PostgreSQL, and each person's tries
    of a route, method and id variant are made on one of the two in turn (``index`` of ``of``), so the two walks
    together try every combination once and each database still gets every route, method and variant. With one
    database in the run (no TEST_DATABASE_URL) it walks them all."""

    index: int = 0
    of: int = 1

    def take(self, people: list[str], turn: int) -> list[str]:
        if len(people) < self.of:
            return people
        return [user for n, user in enumerate(people) if (n + turn) % self.of == self.index]


def share_of(backend: str) -> Share:
    if not os.environ.get("TEST_DATABASE_URL"):
        return Share()
    return Share(("sqlite", "postgresql").index(backend), 2)


def plan(
    rules: list[Rule],
    state: str,
    own: dict[str, Any],
    other: dict[str, Any],
    people: dict[str, int],
    clause_id: int,
    share: Share = Share(),
) -> list[Try]:
    tries = []
    turn = STATES.index(state)
    for rule in rules:
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            for variant in variants(rule, method):
                values = url_values(rule, own, other, people, variant)
                if values is None:
                    continue  # case A has no such record in this state
                built = rule.build(values, append_unknown=False)
                assert built is not None, rule.rule
                foreign = (variant.partition(":")[2], other) if variant.startswith("foreign_form") else None
                data = (
                    (lambda e=rule.endpoint, f=foreign: form_data(e, own, people, clause_id, f))
                    if method != "GET"
                    else None
                )
                verdicts = {
                    user: expectation(rule, method, user, state, variant) for user in walkers(rule, variant, state)
                }
                made = {user: verdict for user, verdict in verdicts.items() if verdict is not None}
                turn += 1
                for user in share.take(list(made), turn):
                    tries.append(Try(rule, method, user, variant, built[1], data, *made[user]))
    return tries


def send(client: FlaskClient, attempt: Try, token: str) -> tuple[int, str]:
    try:
        if attempt.data is None:
            response = client.open(attempt.url, method=attempt.method)
        else:
            response = client.open(attempt.url, method=attempt.method, data={"csrf_token": token, **attempt.data()})
    except Exception as error:
        return 500, f"{type(error).__name__}: {error}"
    return response.status_code, response.headers.get("Location", "")


def faults(attempt: Try, state: str, status: int, location: str) -> list[str]:
    """What is wrong with this answer: the rules' status, and the checks that hold whatever the rules say."""
    found = []
    if status >= 500:
        found.append(f"{attempt}: {status} {location}")
    elif attempt.expect is not None and status != attempt.expect:
        found.append(f"{attempt}: {status}, expected {attempt.expect}")
    if (
        attempt.user == "anonymous"
        and attempt.rule.endpoint not in PUBLIC
        and status not in (401, 403)
        and not (status == 302 and urlsplit(location).path == "/auth/sign-in")
    ):
        found.append(f"{attempt}: anonymous got {status}, not sent to sign in")
    if (
        kind_of(attempt.rule) == "case"
        and attempt.user != "anonymous"
        and state not in SEES[attempt.user]
        and status == 200
    ):
        found.append(f"{attempt}: 200 for someone who may not see the case")
    if attempt.variant.startswith("foreign") and attempt.user != "anonymous" and status not in (400, 403, 404):
        found.append(f"{attempt}: another case's record was accepted ({status})")
    return found


def walk(
    tries: list[Try], clients: dict[str, FlaskClient], state: str, csrf_token_from: Callable[[str], str]
) -> list[str]:
    """Refusals first: each POST checked to change no row count or row version, then the GETs, and then every
    table compared with its contents before. Then the allowed pages (account pages last: one may sign out)."""
    wrong: list[str] = []
    tokens = {user: token_for(client, user, csrf_token_from) for user, client in clients.items()}
    before = contents()
    query = fingerprint_query()
    with db.engine.connect() as conn:
        previous = fingerprint(conn, query)
        for attempt in sorted((t for t in tries if t.refused), key=lambda t: t.method == "GET"):  # POSTs first
            if attempt.user == "anonymous" and attempt.data is not None:  # each refusal ends its session
                tokens["anonymous"] = token_for(clients["anonymous"], "anonymous", csrf_token_from)
            status, location = send(clients[attempt.user], attempt, tokens[attempt.user])
            wrong += faults(attempt, state, status, location)
            if attempt.method != "GET" and (now := fingerprint(conn, query)) != previous:
                wrong.append(f"{attempt}: a refused request changed the database ({status})")
                previous = now
    changed = [name for name, rows in contents().items() if rows != before[name]]
    if changed:
        wrong.append(f"refused requests changed the tables {changed}")
    allowed = sorted((t for t in tries if not t.refused), key=lambda t: kind_of(t.rule) == "account")
    for attempt in allowed:
        status, location = send(clients[attempt.user], attempt, tokens[attempt.user])
        wrong += faults(attempt, state, status, location)
    return wrong


def test_every_rule_is_walkable(app):
    """Every rule but the static files can be filled in and has a rule saying who may reach it."""
    rules = walked_rules(app)
    assert "static" in {r.endpoint for r in app.url_map.iter_rules()} - {r.endpoint for r in rules}
    assert [problem for rule in rules for problem in fillable(rule)] == []
    uncovered = [
        r.endpoint
        for r in rules
        if (kind_of(r) == "case" and r.endpoint not in CASE_ACTIONS)
        or (kind_of(r) == "site" and site_roles(r.endpoint) is None)
    ]
    assert uncovered == []


def run_walk(
    app: Flask,
    world: World,
    backend: str,
    state: str,
    rules: list[Rule],
    name: str,
    sign_in: Callable[..., Any],
    csrf_token_from: Callable[[str], str],
) -> list[Try]:
    own, other, people = make_world(world, state, other_case=name != "other routes")
    clause_id = next(c for c in casework.citable_clauses() if c.number == "5.c").id
    tries = plan(rules, state, own, other, people, clause_id, share_of(backend))
    wrong = walk(tries, signed_in(app, world, sign_in), state, csrf_token_from)
    WALKED[backend] += len(tries)
    WALKS_DONE.setdefault(backend, set()).add(name)
    print(f"route walk, {backend}, {name}: {len(tries)} combinations")
    assert wrong == []
    return tries


@pytest.mark.parametrize("state", STATES)
def test_walk_the_case_routes(app, world, backend, state, record_property, sign_in, csrf_token_from):
    """ASVS V4.1.1-V4.1.5, V4.2.1, V4.3.3: every case route x method x person x id variant, case A in ``state``."""
    tries = run_walk(
        app, world, backend, state, [r for r in walked_rules(app) if is_case_rule(r)], state, sign_in, csrf_token_from
    )
    record_property("combinations", len(tries))
    assert len(tries) > 500 // share_of(backend).of and {t.variant.partition(":")[0] for t in tries} == {
        "own",
        "foreign_url",
        "foreign_form",
        "missing",
    }
    assert {t.user for t in tries} == set(USERS)


def test_walk_the_other_routes(app, world, backend, record_property, sign_in, csrf_token_from):
    """ASVS V4.1.1-V4.1.5: the pages that are not a case's (lists, catalogue, letters' wording, admin,
    one's account, packet jobs) x method x person, once: they do not depend on case A's state. Case A is
    approved and has a packet job printed by a supervisor (the internal packet); the batch page's form names case A."""
    tries = run_walk(
        app,
        world,
        backend,
        "approved",
        [r for r in walked_rules(app) if not is_case_rule(r)],
        "other routes",
        sign_in,
        csrf_token_from,
    )
    record_property("combinations", len(tries))
    assert len(tries) > 150 // share_of(backend).of and {kind_of(t.rule) for t in tries} == {"site", "account", "job"}


def test_the_two_databases_walk_each_person_once_between_them():
    """Split between SQLite and PostgreSQL, every person is walked on one of them; a lone person on both."""
    for count in range(1, len(USERS) + 1):
        people = list(USERS[:count])
        for turn in range(4):
            halves = [Share(index, 2).take(people, turn) for index in (0, 1)]
            if count == 1:
                assert halves == [people, people]
            else:
                assert sorted(halves[0] + halves[1]) == sorted(people) and all(halves)
    assert Share().take(list(USERS), 3) == list(USERS)


def test_walk_total(backend):
    """The number of combinations the walk tried on this database (printed; run with -rA or -s to see it)."""
    if WALKS_DONE.get(backend) != {*STATES, "other routes"}:
        pytest.skip("the total needs every walk of this module")
    print(f"route walk, {backend}: {WALKED[backend]} combinations in all")
    assert WALKED[backend] > (6 * 500 + 150) // share_of(backend).of
