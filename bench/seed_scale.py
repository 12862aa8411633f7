"""Fill a database with N realistic cases, fast (Core executemany in batches), for the page benchmarks.

The database is migrated to head and the catalogue loaded first (``flask db upgrade``, ``flask seed``).
Every case gets 1-2 reported posts, 0-6 notes, 1-3 allegations citing AD 2.26 clauses, transitions and a
few audit events (hash-chained like the application's; notes are not sealed, so run `flask audit
seal-existing` before `flask audit verify` on such a database), and a search_documents row per case, post, note
and allegation with the text search_index would write. Prints rows per table and seconds.

Cases are received evenly over twenty years. ``--mix flow`` (the default) gives each case a life of 30-240
days, so open work is what recent intake leaves (about 2% of cases); ``--mix stress`` keeps 22% open at any
size, all received in the last 400 days.

    .venv/bin/python bench/seed_scale.py 100000 --database-url sqlite:////tmp/casefile-100k.sqlite
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from scale_world import (  # bench/ is the script's folder
    FACILITIES,
    FIRST,
    LAST,
    ORDER,
    PATH,
    SUBJECT_TEXT,
    SUPERVISOR,
    TO,
    Writer,
    catalogue,
    flowing,
    people,
    prepare,
    stressed,
    words,
)
from sqlalchemy import func, select, text


def seed(url: str, n: int, mix: str = "flow", seed_value: int = 7) -> dict[str, Any]:
    from project import create_app
    from project.extensions import db
    from project.services import accounts, audit, dashboard, deadlines

    rng = random.Random(seed_value)  # noqa: S311 - synthetic data, not secrets
    app = create_app(dict(os.environ, DATABASE_URL=url, APP_ENV="development", MFA_REQUIRED_ROLES=""))
    with app.app_context():
        if not db.session.scalar(
            select(func.count()).select_from(
                db.metadata.tables["users"].select().where(text("email = :e")).params(e=SUPERVISOR[0]).subquery()
            )
        ):
            accounts.create_user(SUPERVISOR[0], "Bench Supervisor", ["supervisor"], SUPERVISOR[1])
            db.session.commit()
        started = time.monotonic()
        now = datetime.now(UTC)
        with db.engine.begin() as conn:
            w = Writer(conn, db.metadata)
            cat = catalogue(conn)
            employees, investigators, bosses = people(w, rng, n, now)
            counted = conn.execute(text("SELECT year, last_value FROM case_number_counters"))
            counters = {int(y): int(v) for y, v in counted}
            head = conn.execute(text("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")).first()
            chain = [int(head[0]), str(head[1])] if head else [0, audit.GENESIS]
            first_year = now.year - 19
            for _ in range(n):
                received = datetime(first_year, 1, 1, tzinfo=UTC) + timedelta(
                    seconds=rng.randrange(
                        int((now - datetime(first_year, 1, 1, tzinfo=UTC)).total_seconds()) - 86400 * 3
                    )
                )
                received, state = (flowing if mix == "flow" else stressed)(rng, received, now)
                one_case(w, rng, cat, received, state, employees, investigators, bosses, counters, chain, now)
            w.flush()
            for year, last in counters.items():
                updated = conn.execute(
                    text("UPDATE case_number_counters SET last_value = :v WHERE year = :y"), {"v": last, "y": year}
                )
                if not updated.rowcount:
                    conn.execute(
                        text("INSERT INTO case_number_counters (year, last_value) VALUES (:y, :v)"),
                        {"v": last, "y": year},
                    )
            if head:
                conn.execute(
                    text("UPDATE audit_chain_head SET last_seq = :s, last_hash = :h WHERE id = 1"),
                    {"s": chain[0], "h": chain[1]},
                )
            else:
                conn.execute(
                    text("INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, :s, :h)"),
                    {"s": chain[0], "h": chain[1]},
                )
            if conn.dialect.name == "postgresql":
                for name in ORDER:
                    if "id" in db.metadata.tables[name].c:
                        conn.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
                            )
                        )
        # the stored figures, as `flask deadlines refresh` and `flask dashboard refresh` after a bulk import:
        # written by SQL above, the rows were never seen by the commits that keep them
        deadlines.refresh_all()
        dashboard.refresh_stored_days()
        if db.engine.dialect.name == "postgresql":  # as autovacuum would; the app never runs ANALYZE on SQLite,
            # and without STAT4 its statistics hide how few cases are open. VACUUM sets the visibility map as
            # autovacuum does after bulk inserts: without it no index-only scan skips the heap.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        return {"rows": w.count, "seconds": time.monotonic() - started}


def one_case(
    w: Writer,
    rng: random.Random,
    cat: dict[str, Any],
    received: datetime,
    state: str,
    employees: list[int],
    investigators: list[int],
    bosses: list[int],
    counters: dict[int, int],
    chain: list[Any],
    now: datetime,
) -> None:
    from project.services.audit import row_hash
    from project.services.casework import handle_key, url_key

    year = received.year
    counters[year] = counters.get(year, 0) + 1
    number = f"SM-{year}-{counters[year]:04d}"
    investigator = None if state == "intake" else rng.choice(investigators)
    creator = rng.choice(investigators + bosses)
    title = f"{rng.choice(['Facebook', 'Instagram', 'TikTok', 'X', 'Reddit'])} post: {words(rng, 4)}"
    narrative = words(rng, rng.randint(20, 60))
    steps = PATH[state]
    t = received
    case_id = w.new_id("cases")
    moments = []
    for _ in steps:
        t = min(t + timedelta(days=rng.randint(1, 40), seconds=rng.randrange(86400)), now)
        moments.append(t)
    w.add(
        "cases",
        id=case_id,
        number=number,
        year=year,
        sequence=counters[year],
        state=state,
        title=title,
        narrative=narrative,
        complaint_source=rng.choice(["staff_report", "public_complaint", "anonymous_tip", "media", "audit"]),
        received_at=received,
        reporter_name=rng.choice(FIRST) + " " + rng.choice(LAST),
        reporter_contact=None,
        facility=rng.choice(FACILITIES),
        assigned_investigator_id=investigator,
        created_by_id=creator,
        created_at=received,
        updated_at=t,
        content_version=1 + len(steps),
        content_changed_at=t,
        row_version=1,
    )
    w.add(
        "search_documents",
        case_id=case_id,
        kind="case",
        ref_id=case_id,
        body=" ".join((number, number.replace("-", " "), title, narrative)),
    )
    audit_rows: list[dict[str, Any]] = [
        dict(
            occurred_at=received,
            actor_id=creator,
            action="case.logged",
            object_type="case",
            object_id=str(case_id),
            detail={"number": number},
        )
    ]
    w.add(
        "case_transitions",
        case_id=case_id,
        from_state=None,
        to_state="intake",
        action="log",
        reason="",
        actor_id=creator,
        assignee_id=None,
        occurred_at=received,
        content_version=1,
    )
    before = "intake"
    for i, (step, moment) in enumerate(zip(steps, moments, strict=True)):
        actor = rng.choice(bosses) if step in ("assign", "approve", "refer", "close") else investigator
        w.add(
            "case_transitions",
            case_id=case_id,
            from_state=before,
            to_state=TO[step],
            action=step,
            reason="",
            actor_id=actor,
            assignee_id=investigator if step == "assign" else None,
            occurred_at=moment,
            content_version=2 + i,
        )
        audit_rows.append(
            dict(
                occurred_at=moment,
                actor_id=actor,
                action=f"case.{step}",
                object_type="case",
                object_id=str(case_id),
                detail={"from": before, "to": TO[step]},
            )
        )
        before = TO[step]
    for _ in range(rng.choice((1, 1, 1, 2))):
        handle, shown, body = f"@{rng.choice(LAST).lower()}{rng.randint(1, 999)}", rng.choice(FIRST), words(rng, 25)
        url = f"https://example.com/p/{rng.randrange(10**9)}"
        post = w.add(
            "reported_posts",
            case_id=case_id,
            platform=rng.choice(["facebook", "instagram", "x", "tiktok"]),
            url=url,
            url_key=url_key(url),
            handle_key=handle_key(handle),
            account_handle=handle,
            display_name=shown,
            posted_at=received - timedelta(days=1),
            first_seen_at=received,
            text=body,
            identified_as_doc=rng.random() < 0.6,
            on_duty=rng.random() < 0.2,
            doc_insignia=rng.random() < 0.3,
            attribution="profile photo",
            created_by_id=creator,
            created_at=received,
            row_version=1,
        )
        w.add("search_documents", case_id=case_id, kind="post", ref_id=post, body=f"{handle} {shown} {body}")
    author = investigator or creator
    for k in range(rng.randint(0, 6) if state != "intake" else 0):
        body = words(rng, rng.randint(15, 50))
        note = w.add(
            "notes",
            case_id=case_id,
            kind=rng.choice(["action", "interview", "observation", "phone_call"]),
            body=body,
            author_id=author,
            created_at=received + timedelta(days=k + 1),
            corrects_id=None,
        )
        w.add("search_documents", case_id=case_id, kind="note", ref_id=note, body=body)
        audit_rows.append(
            dict(
                occurred_at=received + timedelta(days=k + 1),
                actor_id=author,
                action="note.added",
                object_type="note",
                object_id=str(note),
                detail={},
            )
        )
    if state != "intake":
        employee = rng.choice(employees)
        subject = w.add("case_subjects", case_id=case_id, employee_id=employee, added_by_id=author, added_at=received)
        w.add("search_documents", case_id=case_id, kind="subject", ref_id=subject, body=SUBJECT_TEXT[employee])
        decided = state in ("approved", "discipline", "closed")
        sustained = False
        for _ in range(rng.randint(1, 3)):
            clause_id, _clause = rng.choice(cat["clauses"])
            finding = rng.choice(cat["findings"]) if decided else None
            sustained |= bool(finding and finding[1])
            reasoning = words(rng, rng.randint(15, 40))
            alleg = w.add(
                "allegations",
                case_id=case_id,
                subject_id=subject,
                clause_id=clause_id,
                directive_id=None,
                reasoning=reasoning,
                finding_id=finding[0] if finding else None,
                finding_recorded_at=t if finding else None,
                finding_recorded_by_id=author if finding else None,
                created_by_id=author,
                created_at=received,
                row_version=1,
            )
            w.add("search_documents", case_id=case_id, kind="allegation", ref_id=alleg, body=reasoning)
        if sustained and state in ("discipline", "closed") and rng.random() < 0.7:
            step = rng.choice(cat["steps"])
            w.add(
                "discipline_proposals",
                subject_id=subject,
                suggested_step_id=step,
                suggestion_reason="matrix",
                proposed_step_id=step,
                suspension_days=None,
                departure_justification="",
                proposed_by_id=rng.choice(bosses),
                proposed_at=t,
                row_version=1,
            )
            day = t.date()
            w.add(
                "labor_actions",
                subject_id=subject,
                decision_on=day,
                meeting_on=day,
                notice_issued_on=day,
                imposed_step_id=step if state == "closed" else None,
                imposed_suspension_days=None,
                effective_on=day + timedelta(days=10) if state == "closed" else None,
                employee_copy_on=None,
                updated_by_id=rng.choice(bosses),
                updated_at=t,
                row_version=1,
            )
    for row in sorted(audit_rows, key=lambda r: r["occurred_at"]):
        row.update(case_id=case_id, remote_addr="10.0.0.1", id=w.new_id("audit_events"), seals=None)
        chain[0] += 1
        digest = row_hash(SimpleNamespace(**row), chain[0], chain[1])
        row.update(chain_seq=chain[0], prev_hash=chain[1], row_hash=digest)
        chain[1] = digest
        w.add("audit_events", **row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--mix",
        choices=("flow", "stress"),
        default="flow",
        help="flow: open work from recent intake (default); stress: 22%% open at any size",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is needed")
    t0 = time.monotonic()
    prepare(args.database_url)
    print(f"migrated and catalogue loaded in {time.monotonic() - t0:.1f} s", flush=True)
    result = seed(args.database_url, args.n, args.mix)
    for name in ORDER:
        print(f"  {name:<22} {result['rows'][name]:>9}")
    print(f"{args.n} cases in {result['seconds']:.1f} s (audit hash chain filled and continued from the head)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
