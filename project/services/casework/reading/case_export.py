"""The filtered case list as a CSV file: every page of it, in the list's order.

Personnel data leaving the system is recorded: each export is an audit event naming the filters and how
many cases went out. Cells that a spreadsheet would run as a formula are neutralised (OWASP ASVS 4.0.3
5.3.10's CSV-injection advice): a leading =, +, -, @, tab or carriage return gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from project import clock, permissions
from project.extensions import db
from project.models import Allegation, Case, CaseState, CaseSubject, Clause, FindingCategory
from project.services import audit
from project.services.audit import Actor
from project.services.casework.intake.identifiers import protected_identifiers_of
from project.services.casework.reading.case_list import SORTS, CaseFilters, filtered_query
from project.services.masking import mask
from project.transaction import committing

EXPORT_LIMIT = 10_000  # rows in one file; a larger list is cut, and the file's last line says so
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(filters: CaseFilters, actor: Actor) -> tuple[str, int]:
    """The CSV text and the number of cases in it; the export is audited and committed."""
    query = (
        filtered_query(actor.user, filters, every_match=True)
        .order_by(*SORTS.get(filters.sort, SORTS["newest"]))
        .options(
            selectinload(Case.assigned_investigator), selectinload(Case.subjects).selectinload(CaseSubject.employee)
        )
        .limit(EXPORT_LIMIT + 1)
    )
    cases = list(db.session.scalars(query))
    cut = len(cases) > EXPORT_LIMIT
    cases = cases[:EXPORT_LIMIT]
    clauses, findings = _allegations_of([case.id for case in cases])
    # a title may name the reporter or a protected person: masked for whoever may not see the reporter
    hidden = protected_identifiers_of([case for case in cases if not permissions.can_see_reporter(actor.user, case)])

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    for case in cases:
        writer.writerow(
            [
                safe_cell(value)
                for value in (
                    case.number,
                    mask(case.title, hidden[case.id]) if case.id in hidden else case.title,
                    CaseState(case.state).label,
                    "; ".join(subject.employee.display_name for subject in case.subjects),
                    "; ".join(subject.employee.employee_number for subject in case.subjects),
                    case.facility or "",
                    case.assigned_investigator.name if case.assigned_investigator else "Unassigned",
                    case.received_at.astimezone(clock.zone()).strftime("%Y-%m-%d %H:%M"),
                    "; ".join(clauses.get(case.id, [])),
                    "; ".join(findings.get(case.id, [])),
                )
            ]
        )
    if cut:
        writer.writerow([f"Only the first {EXPORT_LIMIT} cases are in this file; narrow the filters for the rest."])
    detail = {key: str(value) for key, value in asdict(filters).items() if value not in ("", None, False)}
    with committing("the audit trail"):
        audit.record_for(actor, "cases.exported", detail={"filters": detail, "cases": len(cases), "cut": cut})
    return out.getvalue(), len(cases)


def _header() -> list[str]:
    """The received time is local; its column names the zone."""
    return [
        "Case",
        "Title",
        "State",
        "Subjects",
        "Employee numbers",
        "Facility",
        "Investigator",
        f"Received ({clock.zone().key})",
        "AD 2.26 clauses",
        "Findings",
    ]


def _allegations_of(case_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Each case's cited clauses and recorded findings, in one query for all the cases."""
    clauses: dict[int, list[str]] = defaultdict(list)
    findings: dict[int, list[str]] = defaultdict(list)
    if not case_ids:
        return clauses, findings
    rows = db.session.execute(
        select(Allegation.case_id, Clause.number, FindingCategory.name)
        .outerjoin(Clause, Clause.id == Allegation.clause_id)
        .outerjoin(FindingCategory, FindingCategory.id == Allegation.finding_id)
        .where(Allegation.case_id.in_(case_ids))
        .order_by(Allegation.case_id, Allegation.id)
    )
    for case_id, clause, finding in rows:
        if clause and clause not in clauses[case_id]:
            clauses[case_id].append(clause)
        if finding and finding not in findings[case_id]:
            findings[case_id].append(finding)
    return clauses, findings
