"""The synthetic world seed_scale.py fills a database with: names, facilities and words to draw from, the
batched Core writer, the catalogue rows cases cite, people (employees and staff) and the state a case
has reached by its age (``--mix flow`` or ``stress``)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BATCH = 5000
SUPERVISOR = ("bench-supervisor@bench.test", "bench-supervisor-pass-2026")
STATES = [("closed", 78), ("intake", 3), ("open", 8), ("in_review", 4), ("approved", 3), ("discipline", 4)]
# flow mix: the share of a case's time spent up to the end of each stage
STAGES = [("intake", 0.03), ("open", 0.55), ("in_review", 0.65), ("approved", 0.75), ("discipline", 1.0)]
PATH = {
    "intake": [],
    "open": ["assign"],
    "in_review": ["assign", "submit"],
    "approved": ["assign", "submit", "approve"],
    "discipline": ["assign", "submit", "approve", "refer"],
    "closed": ["assign", "submit", "approve", "refer", "close"],
}
TO = {"assign": "open", "submit": "in_review", "approve": "approved", "refer": "discipline", "close": "closed"}
FACILITIES = [
    "Osborn CI",
    "MacDougall-Walker CI",
    "Cheshire CI",
    "York CI",
    "Garner CI",
    "Corrigan CI",
    "Robinson CI",
    "Brooklyn CI",
    "Manson YI",
    "Willard-Cybulski CI",
    None,
]
WORDS = (
    "inmate officer post shift uniform badge photo video comment facility warden unit tier count escort "
    "lockdown contraband overtime union captain lieutenant sergeant complaint profile account page group "
    "threat harassment racial slur public community family vendor medical staff supervisor policy "
    "directive confidential security camera cell block yard visiting kitchen transport court"
).split()
FIRST = "James Maria Robert Linda Michael Susan David Karen Joseph Lisa Carlos Ana Kevin Tanya Brian Nicole".split()
LAST = (
    "Smith Johnson Rivera Brown Garcia Miller Davis Lopez Wilson Anderson Thomas Moore Martin Jackson "
    "Thompson White Harris Clark Lewis Walker Young Allen King Wright Scott Green Baker Adams Nelson"
).split()
TITLES = ["Correction Officer", "Lieutenant", "Captain", "Counselor", "Nurse", "Maintenance Officer"]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, k=n)).capitalize() + "."


def prepare(url: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update({"FLASK_APP": "app", "APP_ENV": "development", "DATABASE_URL": url, "MFA_REQUIRED_ROLES": ""})
    for args in (["db", "upgrade"], ["seed"]):
        done = subprocess.run([str(BIN / "flask"), *args], env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
        if done.returncode:
            raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


class Writer:
    """Batched executemany per table, explicit ids (no RETURNING), counts and ids handed out."""

    def __init__(self, conn: Any, metadata: Any) -> None:
        self.conn, self.tables = conn, metadata.tables
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.count: Counter[str] = Counter()
        self.next_id: dict[str, int] = {}

    def new_id(self, table: str) -> int:
        if table not in self.next_id:
            t: Table = self.tables[table]
            self.next_id[table] = int(self.conn.execute(select(func.max(t.c.id))).scalar() or 0)
        self.next_id[table] += 1
        return self.next_id[table]

    def add(self, table: str, **row: Any) -> int:
        if "id" in self.tables[table].c and "id" not in row:
            row["id"] = self.new_id(table)
        bucket = self.rows.setdefault(table, [])
        bucket.append(row)
        if len(bucket) >= BATCH:  # every table, parents first, so foreign keys hold
            self.flush()
        return int(row.get("id", 0))

    def flush(self) -> None:
        for name in ORDER:
            if self.rows.get(name):
                self.conn.execute(self.tables[name].insert(), self.rows[name])
                self.count[name] += len(self.rows[name])
                self.rows[name] = []


ORDER = [
    "employees",
    "users",
    "user_roles",
    "cases",
    "case_subjects",
    "reported_posts",
    "notes",
    "allegations",
    "discipline_proposals",
    "labor_actions",
    "case_transitions",
    "audit_events",
    "search_documents",
]


def catalogue(conn: Any) -> dict[str, Any]:
    clauses = conn.execute(
        text(
            "SELECT c.id, c.number FROM clauses c JOIN directive_versions v ON v.id = c.version_id "
            "JOIN directives d ON d.id = v.directive_id WHERE d.number = '2.26' AND c.number LIKE '%.%'"
        )
    ).all()
    findings = conn.execute(text("SELECT id, supports_discipline FROM finding_categories")).all()
    steps = [r[0] for r in conn.execute(text("SELECT id FROM discipline_steps WHERE is_discipline ORDER BY rank"))]
    if not clauses or not findings or not steps:
        raise SystemExit("the catalogue is missing: run flask seed")
    return {"clauses": clauses, "findings": findings, "steps": steps}


SUBJECT_TEXT: dict[int, str] = {}  # employee id -> the search text of a subject who is that employee


def people(w: Writer, rng: random.Random, n: int, now: datetime) -> tuple[list[int], list[int], list[int]]:
    employees = []
    base = int(w.conn.execute(text("SELECT COUNT(*) FROM employees")).scalar() or 0)
    for i in range(max(50, n // 20)):
        last, first, number = rng.choice(LAST), rng.choice(FIRST), f"B{base + i:07d}"
        employees.append(
            w.add(
                "employees",
                employee_number=number,
                last_name=last,
                first_name=first,
                title=rng.choice(TITLES),
                facility=rng.choice(FACILITIES[:-1]),
                unit="Unit " + str(rng.randint(1, 9)),
                bargaining_unit="NP-4",
                hire_date=date(1990, 1, 1) + timedelta(rng.randint(0, 11000)),
                status="active",
                created_at=now,
                updated_at=now,
            )
        )
        SUBJECT_TEXT[employees[-1]] = f"{last}, {first} {number}"  # as project.services.search.index writes it
    staff: dict[str, list[int]] = {"investigator": [], "supervisor": [], "labor_relations": []}
    tag = rng.randrange(10**6)
    for role, many in (("investigator", 24), ("supervisor", 6), ("labor_relations", 4)):
        for i in range(many):
            uid = w.add(
                "users",
                email=f"scale-{tag}-{role}-{i}@bench.test",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                password_hash="!synthetic",  # noqa: S106 - no password signs in
                created_at=now,
                password_changed_at=now,
                failed_sign_ins=0,
            )
            w.add("user_roles", user_id=uid, role=role)
            staff[role].append(uid)
    w.flush()
    return employees, staff["investigator"], staff["supervisor"] + staff["labor_relations"]


def flowing(rng: random.Random, received: datetime, now: datetime) -> tuple[datetime, str]:
    """A case's state from how long it has run: each case takes 30-240 days to close (1 in 50 stalls five
    times as long), moving through the stages in proportion, so the open work is what recent intake leaves:
    about 2% of twenty years' cases, as in a department that keeps up."""
    lasts = timedelta(days=rng.uniform(30, 240) * (5 if rng.random() < 0.02 else 1))
    elapsed = (now - received) / lasts
    if elapsed >= 1:
        return received, "closed"
    return received, next(state for state, upto in STAGES if elapsed < upto)


def stressed(rng: random.Random, received: datetime, now: datetime) -> tuple[datetime, str]:
    """22% of cases open whatever the size, all received in the last 400 days: far more open work than any
    intake leaves (22,000 open cases at 100,000), to stress the figures over open work."""
    state = rng.choices([s for s, _ in STATES], [p for _, p in STATES])[0]
    if state != "closed" and received < now - timedelta(days=400):
        received = now - timedelta(days=rng.randint(1, 399), seconds=rng.randrange(86400))
    return received, state
