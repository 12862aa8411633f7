"""Comparable cases at scale (issue 17, item 7): p50/p95 of the comparison of a subject with past cases (the one
grouped query, and the whole service call with its two small reads) at 100,000 cases, on SQLite and PostgreSQL;
the target is 50 ms at p95. Also the "seen before" check at intake (item 8), by URL and by handle.

    .venv/bin/python bench/comparables.py --size 100000 --backends sqlite,postgresql [--reuse]

The databases are the pages benchmark's (bench/pages.py, seed_scale.py's flow mix), kept for --reuse:
/tmp/casefile-bench-N.sqlite and casefile_bench_N on PostgreSQL.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from pages import cases_in, database_url  # the same seeded database as the pages benchmark (bench/seed_scale.py)

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)]


def measure(url: str, runs: int, label: str) -> None:
    from sqlalchemy import select, text

    from project import create_app
    from project.extensions import db
    from project.models import Case, CaseSubject, LaborAction, User
    from project.services import casework, discipline

    env = dict(os.environ, DATABASE_URL=url, APP_ENV="development", MFA_REQUIRED_ROLES="")
    app = create_app(env)
    rng = random.Random(17)  # noqa: S311 - picking subjects, not secrets
    with app.app_context():
        supervisor = db.session.scalars(select(User).where(User.email == "bench-supervisor@bench.test")).one()
        subjects = list(
            db.session.scalars(
                select(CaseSubject.id).join(LaborAction, LaborAction.subject_id == CaseSubject.id).limit(20000)
            )
        )
        picked = rng.sample(subjects, min(runs, len(subjects)))
        query_ms, call_ms, found, query_cpu = [], [], [], []
        for subject_id in picked:
            subject = db.session.get(CaseSubject, subject_id)
            case = db.session.get(Case, subject.case_id)
            pairs = discipline.charged_pairs(subject)[0]
            db.session.expire_all()
            t0, c0 = time.perf_counter(), time.process_time()
            rows = db.session.execute(discipline.comparable_query(case.id, pairs, supervisor)).all()
            query_ms.append((time.perf_counter() - t0) * 1000)
            query_cpu.append((time.process_time() - c0) * 1000)
            db.session.expire_all()
            t0 = time.perf_counter()
            comparison = discipline.comparable_cases(case, subject, supervisor)
            call_ms.append((time.perf_counter() - t0) * 1000)
            found.append(len(rows))
            assert comparison.total == len(rows)
        seen_ms = []
        posts = db.session.execute(text("SELECT platform, url, account_handle FROM reported_posts LIMIT 5000")).all()
        for platform, post_url, handle in rng.sample(posts, min(runs, len(posts))):
            t0 = time.perf_counter()
            casework.seen_before(platform, post_url, handle, supervisor)
            seen_ms.append((time.perf_counter() - t0) * 1000)
            db.session.rollback()
    cases = cases_in(url)
    print(
        f"\n{label}: {cases} cases, {len(picked)} subjects with discipline imposed, comparables per subject "
        f"median {percentile(found, 50)}, max {max(found)}"
    )
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times wait for the CPU)")
    measured = (
        ("comparison query", query_ms),
        ("  its client CPU", query_cpu),
        ("comparable_cases()", call_ms),
        ("seen before", seen_ms),
    )
    for name, values in measured:
        p95 = percentile(values, 95)
        verdict = "ok" if p95 < TARGET_MS else "OVER TARGET"
        print(
            f"  {name:<20} p50 {percentile(values, 50):7.2f} ms   p95 {p95:7.2f} ms   "
            f"target {TARGET_MS:.0f} ms  {verdict}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the seeded databases")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("LOAD_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    for backend in args.backends.split(","):
        url = database_url(backend, args.size, args.postgres_url, args.reuse)
        done = subprocess.run(  # noqa: S603 - this script again, one process per database
            [sys.executable, __file__, "--one", url, str(args.runs), f"{backend}, {args.size} cases"], cwd=ROOT
        )
        if done.returncode:
            print(f"{backend}: failed ({done.returncode})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        measure(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        sys.exit(0)
    sys.exit(main())
