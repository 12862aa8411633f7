"""The main queries use indexes: at 10,000 cases, PostgreSQL's plans for the case list (first page,
filtered, a later page), the search, the case page and the dashboard's open-case figures read no table
of cases from end to end (no "Seq Scan on cases")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, text

from project.extensions import db
from project.services import casework, dashboard, search
from project.services.casework import CaseFilters

CASES = 10_000


@pytest.fixture()
def ten_thousand_cases(world, backend):
    if backend != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL, the production database")
    db.session.execute(
        text("""
        INSERT INTO cases (number, year, sequence, state, title, narrative, complaint_source, received_at,
                           facility, assigned_investigator_id, created_by_id, created_at, updated_at,
                           content_version, row_version)
        SELECT 'SM-' || (2000 + n / 1000) || '-' || lpad((n % 1000)::text, 4, '0'), 2000 + n / 1000, n % 1000,
               CASE WHEN n % 50 = 0 THEN 'open' WHEN n % 77 = 0 THEN 'in_review' ELSE 'closed' END,
               'Synthetic case ' || n, 'Narrative ' || n, 'staff_report', now() - (n || ' hours')::interval,
               'Facility ' || (n % 12), :investigator, :investigator, now() - (n || ' hours')::interval,
               now() - (n || ' hours')::interval, 1, 1
        FROM generate_series(1, :cases) AS n
    """),
        {"investigator": world.investigator.id, "cases": CASES},
    )
    db.session.execute(
        text("""
        INSERT INTO search_documents (case_id, kind, ref_id, body)
        SELECT id, 'case', id, number || ' ' || title || ' ' || narrative FROM cases
    """)
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    return world


def captured(call) -> list[str]:
    """The plans of every statement a service call sends that reads the cases table."""
    plans: list[str] = []

    def explain(conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")) and " cases" in statement:
            rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).scalars().all()
            plans.append("\n".join(rows))

    event.listen(db.engine, "before_cursor_execute", explain)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)
    return plans


@pytest.mark.parametrize(
    "name,call",
    [
        ("list, first page", lambda w: casework.list_cases(w.supervisor, CaseFilters(mine=False))),
        ("list, open cases", lambda w: casework.list_cases(w.supervisor, CaseFilters(state="open"))),
        ("list, investigator's own", lambda w: casework.list_cases(w.investigator, CaseFilters(mine=True))),
        (
            "list, a later page",
            lambda w: casework.list_cases(
                w.supervisor, CaseFilters(after=casework.list_cases(w.supervisor, CaseFilters()).next_after, page=2)
            ),
        ),
        ("search", lambda w: search.search(w.supervisor, "Synthetic 4242")),
        ("list, searched", lambda w: casework.list_cases(w.supervisor, CaseFilters(text="SM-2004-0242"))),
        ("case page", lambda w: casework.case_file(casework.find_case("SM-2004-0242"))),
        (
            "dashboard, open cases",
            lambda w: (dashboard.open_by_state(w.supervisor), dashboard.open_by_age(w.supervisor, date.today())),
        ),
    ],
)
def test_the_main_queries_use_indexes_at_ten_thousand_cases(ten_thousand_cases, name, call):
    plans = captured(lambda: call(ten_thousand_cases))
    assert plans, f"{name}: no statement read the cases"
    for one in plans:
        assert "Seq Scan on cases" not in one, f"{name}:\n{one}"


def test_the_application_sessions_run_with_the_solid_state_read_cost(world, backend):
    if backend != "postgresql":
        pytest.skip("a PostgreSQL setting")
    assert db.session.execute(text("SHOW random_page_cost")).scalar() == "1.1"
