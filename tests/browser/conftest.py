"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright for Python against a live server.

The live server (``live_server.py``) is the real app under gunicorn, on a free 127.0.0.1 port, over a fresh
SQLite database migrated and seeded with ``flask seed --demo`` in a temporary folder. These tests run on
SQLite only: what they add is the browser (pages, forms, scripts, keyboard, accessibility); the database
behaviour under them is covered on SQLite and PostgreSQL by tests/unit and tests/web.

Without Chromium or the playwright package every browser test is skipped, with the reason in the summary;
REQUIRE_BROWSER=1 (as in .ci/run) turns that skip into a failure. Screenshots and the accessibility summary
go to test-output/browser/ (BROWSER_OUTPUT overrides), which git ignores.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.axe import AxeReport
from tests.browser.environment import CHROMIUM, CHROMIUM_ARGS, EXPECT_TIMEOUT_MS, browser_missing, open_context
from tests.browser.live_server import ROOT, LiveServer
from tests.browser.people import Cast, sign_in

AXE_REPORTS: list[AxeReport] = []
RUN_STARTED = time.time()


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test`` runs a worker per core, ``--dist loadgroup``) the browser tests stay
    together on one worker, in their order: they share one live server and the cast, and a file's journeys
    build on one another."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def output_dir() -> Path:
    folder = Path(os.environ.get("BROWSER_OUTPUT", ROOT / "test-output" / "browser"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    missing = browser_missing()
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{missing}, but REQUIRE_BROWSER=1", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("live-server"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cast(live_server: LiveServer) -> Cast:
    """The demo accounts, with the authenticator keys they set up during the run."""
    return Cast()


@pytest.fixture()
def new_context(browser, live_server: LiveServer) -> Iterator:
    """Open browser contexts (one per person: its own cookies) for a test; all are closed after it."""
    opened = []

    def make(**options: object):
        context = open_context(browser, live_server.url, **options)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


class Shots:
    """Numbered full-page screenshots of one journey: ``test-output/browser/<journey>/NN-name.png``."""

    def __init__(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.count = 0

    def take(self, page, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture()
def shots(request: pytest.FixtureRequest, output_dir: Path) -> Shots:
    journey = request.node.name.removeprefix("test_").replace("[", "-").rstrip("]")
    return Shots(output_dir / journey)


@pytest.fixture(scope="session")
def axe_report(output_dir: Path) -> AxeReport:
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # under pytest-xdist each worker writes its own file
    report = AxeReport(output_dir / (f"axe-results-{worker}.json" if worker else "axe-results.json"))
    AXE_REPORTS.append(report)
    return report


def pytest_terminal_summary(terminalreporter, config) -> None:  # type: ignore[no-untyped-def]
    reports = AXE_REPORTS
    if not reports and config.getoption("numprocesses", None):  # xdist: the workers wrote them; read them back
        folder = Path(os.environ.get("BROWSER_OUTPUT", ROOT / "test-output" / "browser"))
        written = sorted(folder.glob("axe-results-gw*.json"))
        reports = [AxeReport.read(path) for path in written if path.stat().st_mtime >= RUN_STARTED]
    for report in reports:
        if report.results:
            terminalreporter.section("axe-core accessibility results per page")
            for line in report.table():
                terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def page_of(browser, live_server, cast: Cast) -> Iterator[Callable]:
    """One signed-in page per person (axe is injected, so the CSP is bypassed for these pages)."""
    pages: dict[str, object] = {}
    contexts = []

    def page_for(who: str, width: int):
        if who not in pages:
            context = open_context(browser, live_server.url, bypass_csp=True)
            contexts.append(context)
            pages[who] = context.new_page()
            sign_in(pages[who], live_server.url, cast[who])
        page = pages[who]
        page.set_viewport_size({"width": width, "height": 900})
        return page

    yield page_for
    for context in contexts:
        context.close()
