"""Retention runs (issue 18, item 5): which records are due under the retention rules, and expunging them; the
run also purges the evidence of the closed cases due (``purges``; the files go after its commit).

An expunged discipline record is sealed, not deleted: ``expunged_on`` and ``expunged_rule`` are set, the
suggestion of discipline no longer reads it (``discipline.weighing.records_on_file``), and only an
administrator who states a reason sees it again (``sealed``). Nothing a run does touches an audit row or a
record sealed in the audit chain (notes, release reviews, modifications at review): a run only adds audit
rows, one per record it seals and one for the run, so ``flask audit verify`` walks the same chain with more
rows on it. A record of a case on legal hold is kept and named in the run's audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from project import clock
from project.extensions import db
from project.models import DisciplineRecord, DisciplineStep, Employee, User
from project.services import evidence
from project.services.audit import record
from project.services.records.holds import held_case_ids
from project.services.records.purges import PurgeItem, due_purges
from project.services.records.rules import DueUnderRule, RetentionRule, months_after, retention_rules
from project.transaction import committing

SLACK_DAYS = 4


@dataclass(frozen=True)
class RetentionItem(DueUnderRule):
    """A discipline record a rule makes due; ``hold`` is the legal hold that keeps it, if any."""

    record: DisciplineRecord
    employee: Employee

    @property
    def line(self) -> str:
        step = self.record.effective_step.name.lower()
        case = f"case {self.record.case_id}" if self.record.case_id else "imported"
        what = f"{self.employee.employee_number} {step} of {self.record.imposed_on.isoformat()} ({case})"
        return self.line_for(what, self.rule.action)

    def as_detail(self) -> dict[str, object]:
        return {
            "record_id": self.record.id,
            "employee_number": self.employee.employee_number,
            "rule": self.rule.code,
            "source": self.rule.source_label,
            "due_on": self.due_on.isoformat(),
        }


@dataclass(frozen=True)
class RetentionRun:
    sealed: list[RetentionItem]
    held: list[RetentionItem]
    purged: list[PurgeItem] = field(default_factory=list)
    purges_held: list[PurgeItem] = field(default_factory=list)
    files: evidence.FileRemoval = field(default_factory=evidence.FileRemoval)


def _rule_for(record: DisciplineRecord, employee: Employee, rules: tuple[RetentionRule, ...]) -> RetentionRule | None:
    step = record.effective_step.code
    return next(
        (
            rule
            for rule in rules
            if rule.record_type == "discipline_record" and rule.outcome == step
            if rule.covers_unit(employee.bargaining_unit)
        ),
        None,
    )


def due_items(today: date, rules: tuple[RetentionRule, ...] | None = None) -> list[RetentionItem]:
    """Every record not yet expunged that a rule makes due on or before ``today``, oldest first, each with the
    legal hold that keeps it. Rescinded records are left to the award that rescinded them."""
    rules = tuple(r for r in (retention_rules() if rules is None else rules) if r.record_type == "discipline_record")
    outcomes = {rule.outcome for rule in rules}
    if not outcomes:
        return []
    # Only records old enough for the shortest rule and of a step some rule names are read (a few days'
    # slack for the month-end rule of ``months_after``); each is then matched exactly below.
    oldest = months_after(today, -min(rule.months for rule in rules)) + timedelta(days=SLACK_DAYS)
    steps = select(DisciplineStep.id).where(DisciplineStep.code.in_(outcomes))
    query = (
        select(DisciplineRecord, Employee)
        .join(Employee, Employee.id == DisciplineRecord.employee_id)
        .where(DisciplineRecord.expunged_on.is_(None), DisciplineRecord.rescinded.is_(False))
        .where(DisciplineRecord.imposed_on <= oldest)
        .where(or_(DisciplineRecord.step_id.in_(steps), DisciplineRecord.modified_step_id.in_(steps)))
        .options(selectinload(DisciplineRecord.step), selectinload(DisciplineRecord.modified_step))
        .order_by(DisciplineRecord.imposed_on, DisciplineRecord.id)
    )
    found = []
    for disc, employee in db.session.execute(query).all():
        rule = _rule_for(disc, employee, rules)
        if rule is not None and rule.due_on(disc.imposed_on) <= today:
            found.append((disc, employee, rule))
    holds = held_case_ids(disc.case_id for disc, _e, _r in found if disc.case_id is not None)
    return [
        RetentionItem(disc, employee, rule=rule, due_on=rule.due_on(disc.imposed_on), hold=holds.get(disc.case_id or 0))
        for disc, employee, rule in found
    ]


def review_retention(today: date, actor: User | None = None) -> list[RetentionItem]:
    """What a run would seal today (the purges due: ``due_purges``); the review itself is audited (what was
    listed: records by id, cases whose evidence is due to be purged by id)."""
    items = due_items(today)
    purges = due_purges(today)
    with committing("the retention review"):
        record(
            "retention.reviewed",
            actor=actor,
            object_type="retention",
            detail={
                "on": today.isoformat(),
                "due": [item.record.id for item in items if not item.held],
                "held": [item.record.id for item in items if item.held],
                "purge_due": [item.case.id for item in purges if not item.held],
                "purge_held": [item.case.id for item in purges if item.held],
            },
        )
    return items


def apply_retention(today: date, actor: User | None = None, evidence_dir: str | None = None) -> RetentionRun:
    """Seal every record and purge the evidence of every case due today that no legal hold keeps, in one
    transaction with its audit rows: a ``retention.sealed`` row per record (on its case), an ``exhibit.purged``
    row per exhibit, and one ``retention.applied`` row for the run naming the cases a hold kept. The purged files
    are deleted in ``evidence_dir`` (default: the app's) only after that commit, with those an earlier run could
    not delete; a file that cannot be deleted now is in ``files.failed`` (and the audit trail) for the next run."""
    items = due_items(today)
    sealed = [item for item in items if not item.held]
    held = [item for item in items if item.held]
    purges = due_purges(today)
    purged = [item for item in purges if not item.held]
    purges_held = [item for item in purges if item.held]
    with committing("the retention run"):
        moment = clock.now()
        gone = [
            exhibit.id
            for item in purged
            for exhibit in evidence.mark_purged(item.exhibits, item.rule.code, item.rule.source_label, moment)
        ]
        for item in sealed:
            item.record.expunged_on, item.record.expunged_rule = today, item.rule.code
            record(
                "retention.sealed",
                actor=actor,
                object_type="discipline_record",
                object_id=item.record.id,
                case_id=item.record.case_id,
                detail={**item.as_detail(), "action": item.rule.action},
            )
        for item in held:
            assert item.hold is not None
            record(
                "retention.kept_on_hold",
                actor=actor,
                object_type="discipline_record",
                object_id=item.record.id,
                case_id=item.record.case_id,
                detail={**item.as_detail(), "legal_hold": item.hold.id},
            )
        record(
            "retention.applied",
            actor=actor,
            object_type="retention",
            detail={
                "on": today.isoformat(),
                "at": clock.now().isoformat(),
                "sealed": [item.record.id for item in sealed],
                "held": [item.record.id for item in held],
                "purged": [item.case.id for item in purged],
                "purged_exhibits": gone,
                "purge_held": [{"case": i.case.number, "legal_hold": i.hold.id} for i in purges_held if i.hold],
            },
        )
    files = evidence.remove_purged_files(evidence_dir or current_app.config["EVIDENCE_DIR"])
    return RetentionRun(sealed, held, purged, purges_held, files)
