"""No input gives a 500 (issue 15, F10): every rule of the URL map, every method, every parameter.

Each route is tried by the kinds of person in turn (``senders``) with hostile values in (i) each path
parameter, (ii) every query parameter any page reads, and (iii) every field of its form (the walk's plausible
form data, every field replaced at once). The values are the penetration test's and their kin: numbers too
long for any column, dates and years out of range, a keyset token holding 10^30, NUL and other control
characters, very long text, local times that never happened. Whatever the answer (a page, a refusal, a
redirect, a 404), it is never a 5xx. The count of requests made is printed per database.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from werkzeug.routing import Rule

from project.services import casework
from tests.web.route_walk_rules import walked_rules
from tests.web.route_walk_world import NOWHERE, form_data, make_world, signed_in, token_for, url_values

KEYSET_10_30 = base64.urlsafe_b64encode(json.dumps(["2026-03-01T00:00:00+00:00", 10**30]).encode()).decode()
HOSTILE = [
    "99999999999999999999999",
    "2147483648",
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "99999",
    "1e308",
    "NaN",
    "a\x00b",
    "\x00",
    "\x1b[2J\x07",
    "' OR 1=1 --",
    "x" * 5000,
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    KEYSET_10_30,
]
PATH_HOSTILE = ["99999999999999999999999", "2147483648", "0", "-1", "%00", "a%00b", "x" * 300, "..%2F..%2Fetc"]
# every query parameter a page reads (the case list's filters, the dashboard's, the inbox's, sign-in's)
QUERY_PARAMETERS = (
    "state facility investigator clause finding from to q sort page after mine open employee step year "
    "deadline next kind variant change n"
).split()
# signing out, or changing one's own password or second factor, would end the fuzzing person's session
SKIPPED_WHEN_SIGNED_IN = "/auth/"
PEOPLE = ("investigator", "supervisor", "labor", "admin")


def marked_url(rule: Rule, values: dict[str, Any], name: str, hostile: str) -> str:
    marked = dict(values)
    marked[name] = 7_654_321 if isinstance(values[name], int) else "MARKEDVALUE"
    built = rule.build(marked, append_unknown=False)
    assert built is not None
    return built[1].replace(str(marked[name]), hostile)


def requests_for(rule: Rule, own: dict[str, Any], people: dict[str, int], clause_id: int):
    """(method, url, form data or None) for every hostile value in every parameter of the rule."""
    values = url_values(rule, own, own, people, "own")
    if values is None:
        values = url_values(rule, own, own, people, "missing")
    assert values is not None, rule.rule
    base = rule.build(values, append_unknown=False)
    assert base is not None
    for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
        for name in sorted(set(rule.arguments) - {"change"}):
            for hostile in PATH_HOSTILE:
                yield method, marked_url(rule, values, name, hostile), None
        for hostile in HOSTILE:
            query = "&".join(f"{p}={hostile}" for p in QUERY_PARAMETERS)
            if method == "GET":
                yield method, f"{base[1]}?{query}", None
            else:
                yield method, base[1], lambda e=rule.endpoint, h=hostile: hostile_form(e, own, people, clause_id, h)


def hostile_form(endpoint: str, own: dict[str, Any], people: dict[str, int], clause_id: int, hostile: str):
    """The route's plausible form data with every field but a file replaced by ``hostile``."""
    plausible = form_data(endpoint, own, people, clause_id)
    return {name: value if isinstance(value, tuple) else hostile for name, value in plausible.items()}


def senders(users: tuple[str, ...], turn: int) -> tuple[str, ...]:
    """Who sends a route's ``turn``-th hostile request: each person in turn, not all of them. Every person
    still sends every route several hostile values (a route has at least 8), and every hostile value reaches
    every route; sending each value as every person made 12,500 requests per database where the turns make 3,300."""
    return (users[turn % len(users)],)


def fuzz(app, world, sign_in, csrf_token_from, capsys) -> tuple[int, list[str]]:
    own, _, people = make_world(world, "open", other_case=False)
    clause_id = next(c for c in casework.citable_clauses() if c.number == "5.c").id
    clients = signed_in(app, world, sign_in)
    tokens = {user: token_for(clients[user], user, csrf_token_from) for user in (*PEOPLE, "anonymous")}
    sent, wrong = 0, []
    for rule in walked_rules(app):
        users = ("anonymous",) if rule.rule.startswith(SKIPPED_WHEN_SIGNED_IN) else PEOPLE
        for turn, (method, url, data) in enumerate(requests_for(rule, own, people, clause_id)):
            for user in senders(users, turn):
                options: dict[str, Any] = {"method": method}
                if data is not None:
                    options["data"] = {"csrf_token": tokens[user], **data()}
                try:
                    status = clients[user].open(url, **options).status_code
                except Exception as error:  # an exception that reached the client is a 500 in production
                    status = 500
                    url = f"{url} ({type(error).__name__}: {str(error)[:200]})"
                sent += 1
                if status >= 500:
                    wrong.append(f"{method} {url[:300]} as {user} [{rule.endpoint}]: {status}")
    return sent, wrong


def test_no_input_to_any_route_gives_a_500(app, world, backend, sign_in, csrf_token_from, capsys):
    sent, wrong = fuzz(app, world, sign_in, csrf_token_from, capsys)
    with capsys.disabled():
        print(f"\nroute fuzz, {backend}: {sent} requests, {len(wrong)} answered 5xx")
    assert sent > 2500 and NOWHERE
    assert wrong == []
