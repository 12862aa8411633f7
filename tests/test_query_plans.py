"""The main queries use indexes: at 10,000 cases, PostgreSQL's plans for the case list (first page,
filtered, a later page), the search, the case page and the dashboard's open-case figures read no table
of cases from end to end (no "Seq Scan on cases")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, text

from project import clock
from project.extensions import db
from project.services import casework, dashboard, discipline, search
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


def test_the_application_sessions_run_with_the_solid_state_read_cost_and_no_parallel_workers(world, backend):
    if backend != "postgresql":
        pytest.skip("a PostgreSQL setting")
    assert db.session.execute(text("SHOW random_page_cost")).scalar() == "1.1"
    assert db.session.execute(text("SHOW max_parallel_workers_per_gather")).scalar() == "0"


@pytest.fixture()
def ten_thousand_charged_subjects(world, backend):
    """10,000 decided cases, each with a subject charged under two of twenty AD 2.26 clauses, with findings and
    (for most) the step imposed: the comparison of past cases (issue 17) reads them."""
    from sqlalchemy import insert, select

    from project.models import Allegation, Case, CaseSubject, Clause, DisciplineStep, FindingCategory, LaborAction

    clauses = [c.id for c in casework.citable_clauses()][:20]
    findings = list(db.session.scalars(select(FindingCategory.id)))
    steps = list(db.session.scalars(select(DisciplineStep.id).order_by(DisciplineStep.rank)))
    employee = world.employees.make()
    now, uid = clock.now(), world.investigator.id
    db.session.execute(
        insert(Case),
        [
            dict(
                id=100_000 + n,
                number=f"SM-P-{n:05d}",
                year=2020,
                sequence=n,
                state="closed",
                title="t",
                narrative="",
                complaint_source="audit",
                received_at=now,
                created_by_id=uid,
                created_at=now,
                updated_at=now,
                content_version=1,
                row_version=1,
            )
            for n in range(CASES)
        ],
    )
    db.session.execute(
        insert(CaseSubject),
        [
            dict(id=100_000 + n, case_id=100_000 + n, employee_id=employee.id, added_by_id=uid, added_at=now)
            for n in range(CASES)
        ],
    )
    db.session.execute(
        insert(Allegation),
        [
            dict(
                case_id=100_000 + n,
                subject_id=100_000 + n,
                clause_id=clauses[(n + k * 7) % len(clauses)],
                finding_id=findings[(n // 3 + k) % len(findings)],
                reasoning="",
                created_by_id=uid,
                created_at=now,
                row_version=1,
            )
            for n in range(CASES)
            for k in range(2)
        ],
    )
    db.session.execute(
        insert(LaborAction),
        [
            dict(
                subject_id=100_000 + n,
                imposed_step_id=steps[n % len(steps)],
                updated_by_id=uid,
                updated_at=now,
                row_version=1,
            )
            for n in range(CASES)
            if n % 4
        ],
    )
    db.session.commit()
    dashboard.refresh_stored_days()  # as after any bulk import: the rows above were never flushed by the ORM
    if backend == "postgresql":
        db.session.execute(text("ANALYZE"))
    assert Clause  # the clauses cited are the catalogue's
    return clauses[0], findings[0]


def test_the_comparison_of_past_cases_reads_its_index(world, backend, ten_thousand_charged_subjects):
    """Issue 17: the one grouped query of comparable cases finds its candidates through
    ix_allegations_clause_finding_subject, on both databases."""
    clause, finding = ten_thousand_charged_subjects
    query = discipline.comparable_query(0, [(clause, finding)], world.supervisor)
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN " if backend == "postgresql" else "EXPLAIN QUERY PLAN "
    plan = "\n".join(str(row[-1]) for row in db.session.execute(text(explain + sql)))
    assert "ix_allegations_clause_finding_subject" in plan, plan
    assert "Seq Scan on allegations" not in plan and "SCAN allegations\n" not in plan + "\n", plan
