"""Journey (issue 16, item 4): typed work is never lost. On a server whose sessions idle out after 25 seconds
(warning 18 seconds before), the investigator types a note and leaves it: the warning appears, "Stay signed in"
keeps the session, then the session ends and the page says the text is kept. Signing in again leads back to the
case with the text restored; saving it deletes the draft."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.axe import check_page
from tests.browser.casework import flash, open_case_titled
from tests.browser.live_server import LiveServer
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

DEMO_CASE = "Facebook comment about an inmate's visiting day"  # open, assigned to the demo investigator
IDLE_SECONDS = 25
WARN_SECONDS = 18
NOTE = "Spoke with the facility's visiting officer.\nShe confirms the post was made on a rest day."
DRAFTS = "() => Object.keys(localStorage).filter((key) => key.startsWith('casefile-draft:'))"


@pytest.fixture(scope="module")
def idle_server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(
        tmp_path_factory.mktemp("idle-server"),
        settings={"SESSION_IDLE_MINUTES": str(IDLE_SECONDS / 60), "SESSION_WARNING_SECONDS": str(WARN_SECONDS)},
    )
    server.start()
    yield server
    server.stop()


def test_a_typed_note_survives_the_idle_sign_out(new_context, idle_server, cast, shots, axe_report):
    person = cast["investigator"]
    page = new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True).new_page()  # axe is injected
    sign_in(page, idle_server.url, person)
    number = open_case_titled(page, DEMO_CASE)
    # the drafts script is deferred: it watches the forms only once the page has loaded (typing that beats it
    # is not kept; a clean-clone run under load typed before it, and the note's draft was never saved)
    page.wait_for_load_state("load")
    note = page.locator(f'form[data-draft="{number}:note"]').get_by_label("Note", exact=True)
    note.fill(NOTE)
    page.locator("main h1").first.click()  # leave the field, as someone stepping away would

    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(warning).to_be_visible(timeout=(IDLE_SECONDS - WARN_SECONDS + 10) * 1000)
    expect(warning).to_contain_text("Text you typed is kept in this browser")
    expect(warning.get_by_role("button", name="Stay signed in")).to_be_focused()
    expect(warning.get_by_role("link", name="Sign in again")).to_be_hidden()  # not while the session lives
    shots.take(page, "warning-1366")
    result = check_page(page, "idle warning (1366 px)")
    axe_report.add(result)
    assert not result.blocking(), "\n".join(v.describe() for v in result.blocking())
    page.set_viewport_size({"width": 390, "height": 844})
    shots.take(page, "warning-390")
    result = check_page(page, "idle warning (390 px)")
    axe_report.add(result)
    assert not result.blocking(), "\n".join(v.describe() for v in result.blocking())
    box = warning.bounding_box()  # the case page's own width at 390 px is item 8's; the warning fits the screen
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()

    ended = page.get_by_role("alertdialog", name="Your session has ended")
    expect(ended).to_be_visible(timeout=(IDLE_SECONDS + 10) * 1000)
    expect(ended).to_contain_text("The text you typed is kept in this browser")
    shots.take(page, "ended-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.evaluate(DRAFTS) == [f"casefile-draft:{page.evaluate('document.body.dataset.user')}:{number}:note"]

    ended.get_by_role("link", name="Sign in again").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.locator("#email").fill(person.email)
    page.locator("#password").fill(person.password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("main h1").first).to_contain_text(DEMO_CASE)  # back on the case
    form = page.locator(f'form[data-draft="{number}:note"]')
    expect(form.locator(".draft-note")).to_contain_text("Restored your unsaved text from")
    expect(form.get_by_label("Note", exact=True)).to_have_value(NOTE)
    shots.take(page, "restored-1366")

    form.get_by_role("button", name="Add note").click()
    flash(page, "Note added.")
    expect(page.locator("ol.notes")).to_contain_text("She confirms the post was made on a rest day.")
    expect(page.locator(f'form[data-draft="{number}:note"] .draft-note')).to_have_count(0)
    expect(page.locator(f'form[data-draft="{number}:note"]').get_by_label("Note", exact=True)).to_have_value("")
    assert page.evaluate(DRAFTS) == [], "the saved note's draft is gone"
