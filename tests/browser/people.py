"""The demo people, signing in through the sign-in page like anyone else.

Supervisors, labor relations and admins must use an authenticator app: the first sign-in of such an account
sets one up from the key the page shows (``<code class="secret-key">``), the later ones type the app's code.
A code works once per 30-second step per account; the server also takes the codes of the steps either side of
its own (clock drift), so three sign-ins within a step type those, and a fourth waits for the next step.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyotp

from project.services.accounts import DRIFT_STEPS
from tests.browser import keyboard
from tests.browser.live_server import DEMO_PASSWORD

try:
    from playwright.sync_api import Page, expect
except ImportError:  # the browser fixtures skip (or fail, with REQUIRE_BROWSER=1) and say why
    Page = expect = None  # type: ignore[assignment,misc]

STEP_SECONDS = 30
MARGIN_SECONDS = 10  # time left in a step for a code of the step before it to reach the server


@dataclass
class Person:
    email: str
    name: str
    password: str = DEMO_PASSWORD
    needs_app: bool = False  # the role is in MFA_REQUIRED_ROLES (supervisor, labor relations, admin)
    secret: str | None = None  # the authenticator key, read from the set-up page at the first sign-in
    last_step: int | None = None  # the newest time step whose code was used

    def next_code(self) -> str:
        """The app's code for a time step no code of this account has been used in yet.

        The server takes the codes of the steps either side of its own as clock drift (``DRIFT_STEPS``), so up to
        three sign-ins of an account fit in one step: the earliest step still unused is typed, as by an app whose
        clock runs a little behind or ahead (the step before this one only with ``MARGIN_SECONDS`` of this step
        left, so that it is still taken when the server checks it). Only when the step after this one is used
        too does it wait for the next step."""
        assert self.secret, f"{self.email} has no authenticator app set up yet"
        seconds = time.time()
        now = int(seconds) // STEP_SECONDS
        earliest = now - DRIFT_STEPS if seconds % STEP_SECONDS < STEP_SECONDS - MARGIN_SECONDS else now
        step = earliest if self.last_step is None else max(earliest, self.last_step + 1)
        if step > now + DRIFT_STEPS:
            time.sleep((step - DRIFT_STEPS) * STEP_SECONDS - time.time() + 0.2)
        self.last_step = step
        return pyotp.TOTP(self.secret, interval=STEP_SECONDS).at(step * STEP_SECONDS)


class Cast:
    """The demo accounts of ``seed_data/demo/users.toml``, with what each learns during the run (its app key)."""

    def __init__(self) -> None:
        self.people = {
            "investigator": Person("investigator@demo.test", "Dana Investigator"),
            "investigator2": Person("investigator2@demo.test", "Eli Investigator"),
            "supervisor": Person("supervisor@demo.test", "Sam Supervisor", needs_app=True),
            "labor": Person("labor@demo.test", "Lee Labor-Relations", needs_app=True),
            "admin": Person("admin@demo.test", "Alex Admin", needs_app=True),
        }

    def __getitem__(self, key: str) -> Person:
        return self.people[key]


def sign_in(page: Page, base_url: str, person: Person, by_keyboard: bool = False) -> None:
    """From the sign-in page to the home page: the password, then the second step the account must take: setting
    up the app at its first sign-in, the app's code at the later ones, none for a role that does not need it."""
    page.goto(f"{base_url}/auth/sign-in")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _enter(page, "#email", person.email, by_keyboard)
    _enter(page, "#password", person.password, by_keyboard)
    _submit(page, "Sign in", by_keyboard)
    page.wait_for_url(lambda url: urlsplit(url).path != "/auth/sign-in")  # the password was taken
    expected = ("/auth/sign-in/code" if person.secret else "/auth/mfa/set-up") if person.needs_app else "/"
    assert urlsplit(page.url).path == expected, f"{person.email} went to {page.url}, not {expected}"
    if expected == "/auth/mfa/set-up":
        _set_up_app(page, person, by_keyboard)
    elif expected == "/auth/sign-in/code":
        expect(page.get_by_role("heading", name="Enter your sign-in code")).to_be_visible()
        _enter(page, "#code", person.next_code(), by_keyboard)
        _submit(page, "Sign in", by_keyboard)
    expect(page.locator("header .who")).to_have_text(person.name)


def _set_up_app(page: Page, person: Person, by_keyboard: bool) -> None:
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    key = page.locator("code.secret-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), f"not a base32 key: {key!r}"
    person.secret = key.replace(" ", "")
    person.last_step = None
    _enter(page, "#code", person.next_code(), by_keyboard)
    _submit(page, "Turn on", by_keyboard)
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    if by_keyboard:
        keyboard.activate(page, "a.button", "I have kept them; continue")
    else:
        page.get_by_role("link", name="I have kept them; continue").click()


def _enter(page: Page, selector: str, text: str, by_keyboard: bool) -> None:
    if by_keyboard:
        keyboard.type_into(page, selector, text)
    else:
        page.locator(selector).fill(text)


def _submit(page: Page, label: str, by_keyboard: bool) -> None:
    if by_keyboard:
        keyboard.activate(page, "button[type=submit]", label)
    else:
        page.get_by_role("button", name=label, exact=True).click()
