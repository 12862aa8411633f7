"""Whether this machine can run the browser tests (Debian's Chromium and the playwright package), and how
a browser context is opened for them. Imported by tests/conftest.py too, for pytest's header.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
TIMEOUT_MS = 20_000  # actions and navigations
EXPECT_TIMEOUT_MS = 10_000  # assertions that wait: a loaded 2-core CI machine is slower than a laptop


def open_context(browser: Any, base_url: str, **options: Any) -> Any:
    """A browser context (one person's cookies) on the live server, in the department's locale and zone."""
    settings = {
        "base_url": base_url,
        "locale": "en-US",
        "timezone_id": "America/New_York",
        "viewport": {"width": 1280, "height": 900},
        "accept_downloads": True,
    } | options
    context = browser.new_context(**settings)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as missing:
        return f"browser tests skipped: playwright cannot be imported ({missing}; pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


def report_line() -> str:
    missing = browser_missing()
    if missing:
        required = " - REQUIRE_BROWSER=1 makes this a failure" if os.environ.get("REQUIRE_BROWSER") == "1" else ""
        return f"browser: SKIPPED - {missing.removeprefix('browser tests skipped: ')}{required}"
    return f"browser: Chromium at {CHROMIUM} (tests/browser, on SQLite)"


# The deepest elements that reach past the window's right edge, so a failure names what to fix.
WIDEST = """() => {
  const width = document.scrollingElement.clientWidth;
  const past = [...document.querySelectorAll("main *")].filter((e) => e.getBoundingClientRect().right > width + 1);
  const deepest = past.filter((e) => !past.some((other) => other !== e && e.contains(other)));
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\\s+/).join(".") : "") +
    " (" + Math.round(e.getBoundingClientRect().right) + " px): " + (e.textContent || "").trim().slice(0, 60);
  return [document.scrollingElement.scrollWidth, width, deepest.slice(0, 4).map(name)];
}"""


def no_horizontal_scroll(page: Any) -> None:
    """The page is no wider than its window (issue 16, item 8). Measured once the page has loaded: a page whose
    stylesheet is still on its way is laid out unstyled (CI once measured an intake page at 549 px that way)."""
    page.wait_for_load_state("load")
    scroll_width, client_width, widest = page.evaluate(WIDEST)
    assert scroll_width <= client_width, (
        f"{page.url} is {scroll_width} px wide in a {client_width} px window; past its edge: {widest}"
    )
