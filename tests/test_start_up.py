"""Start-up: every ``flask`` command, test process and worker builds the app first, so it imports only what
every one of them needs (issue 19). PDF rendering, migrations, OpenID Connect and the search stemmer are
imported by the work that uses them. Each test runs a fresh process, as a command would."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from project import ROOT, create_app
from tests.apps import app_environ

# Each is imported by the feature that uses it; none is needed to build the app or list its commands.
LOADED_WHEN_USED = ("weasyprint", "alembic", "flask_migrate", "authlib", "snowballstemmer", "cv2", "pytesseract")


def _run(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=os.environ | environ, capture_output=True, text=True, timeout=120, check=False
    )


def test_building_the_app_leaves_the_heavy_libraries_unloaded(migrated_database, tmp_path):
    script = (
        "import sys, app; "
        f"print(' '.join(name for name in {LOADED_WHEN_USED!r} if name in sys.modules) or 'none'); "
        "print(len(app.app.url_map._rules))"
    )
    result = _run([sys.executable, "-c", script], app_environ(migrated_database, tmp_path))
    assert result.returncode == 0, result.stderr
    loaded, rules = result.stdout.split()[-2:]
    assert loaded == "none", f"imported at start-up: {loaded}"
    in_this_process = create_app(app_environ(migrated_database, tmp_path))
    assert int(rules) == len(in_this_process.url_map._rules), "the whole app was built, every route registered"


def test_migration_commands_are_listed_and_load_when_run(migrated_database, tmp_path):
    environ = app_environ(migrated_database, tmp_path) | {"FLASK_APP": "app"}
    flask = [sys.executable, "-m", "flask"]
    listing = _run([*flask, "--help"], environ)
    assert listing.returncode == 0, listing.stderr
    assert "Perform database migrations." in listing.stdout
    commands = _run([*flask, "db", "--help"], environ)
    assert commands.returncode == 0, commands.stderr
    assert "upgrade" in commands.stdout and "--directory" in commands.stdout
    current = _run([*flask, "db", "current"], environ)
    assert current.returncode == 0, current.stderr
    head = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("0*.py"))[-1].split("_")[0]
    assert f"{head} (head)" in current.stdout, "the migrated database is at the newest revision"
    assert "setup plugin" not in current.stderr, "Alembic's plugin chatter is kept out of the log"


def test_compiled_templates_are_kept_in_the_private_instance_folder(migrated_database, tmp_path):
    app = create_app(app_environ(migrated_database, tmp_path))
    response = app.test_client().get("/auth/sign-in")
    assert response.status_code == 200
    kept = tmp_path / "template-cache"
    assert any(kept.iterdir()), "the sign-in page's compiled templates are kept for the next process"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o700, "only the app's own user may put code there"
