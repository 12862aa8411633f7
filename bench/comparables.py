"""Comparable cases at scale (issue 17, item 7): p50/p95 of the comparison of a subject with past cases (the one
grouped query, and the whole service call with its two small reads) at 100,000 cases, on SQLite and PostgreSQL;
the target is 50 ms at p95. Also the "seen before" check at intake (item 8), by URL and by handle.

    .venv/bin/python bench/comparables.py --size 100000 --backends sqlite,postgresql [--reuse]

The databases (seed_scale.py's flow mix) are this script's own, kept for --reuse:
/tmp/casefile-compare-N.sqlite and casefile_compare_N on PostgreSQL.
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

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)]


def _cases(url: str) -> int:
    from project.config import normalize_database_url

    engine = create_engine(normalize_database_url(url))
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT COUNT(*) FROM cases")).scalar() or 0)
    except Exception:
        return 0
    finally:
        engine.dispose()


def database_url(backend: str, size: int, admin: str, reuse: bool) -> str:
    if backend == "sqlite":
        path = Path(f"/tmp/casefile-compare-{size}.sqlite")  # noqa: S108 - scratch, kept for --reuse
        url = f"sqlite:///{path}"
        if not (reuse and path.exists()):
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
    else:
        import psycopg

        name = f"casefile_compare_{size}"
        url = admin.rsplit("/", 1)[0] + f"/{name}"
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if exists and not reuse:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            if not exists or not reuse:
                conn.execute(f'CREATE DATABASE "{name}"')
    if reuse and _cases(url) >= size:
        print(f"reusing {url} ({_cases(url)} cases)", flush=True)
        return url
    started = time.monotonic()
    script = str(ROOT / "bench" / "seed_scale.py")
    done = subprocess.run(  # noqa: S603 - our own script, with arguments we build
        [sys.executable, script, str(size), "--database-url", url], cwd=ROOT, capture_output=True, text=True
    )
    print(done.stdout + done.stderr[-3000:], flush=True)
    if done.returncode:
        raise SystemExit(f"seeding {url} failed")
    print(f"seeded in {time.monotonic() - started:.0f} s (wall, with migration)", flush=True)
    return url


def measure(url: str, runs: int, label: str) -> None:
    from sqlalchemy import select

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
    cases = _cases(url)
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
