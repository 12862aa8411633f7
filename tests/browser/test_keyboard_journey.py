"""Journey (a) with the keyboard alone: Tab / Shift+Tab, typing, Enter, Space and the arrow keys; no clicks.

The investigator logs a complaint, the supervisor assigns it, the investigator links a roster employee,
uploads a screenshot (the one step a keyboard cannot do in a test is the operating system's file chooser,
so the file goes into the focused file field with set_input_files), adds notes, frames two allegations,
records findings, accepts the suggested step and submits. ``keyboard.tab_to`` fails naming the element when
something cannot be reached with Tab, or shows no focus indicator once reached, which is what this test is
for. Confirmation questions are answered OK, as Enter on the dialog would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import keyboard
from tests.browser.casework import Complaint, case_number_on, draw_screenshot, flash, state_is
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

COMPLAINT = Complaint(
    title="Perimeter camera positions described on TikTok",
    reporter_name="Anonymous caller",
    reporter_contact="tip line 2026-114",
    handle="@records_rookie",
    post_text="Fun fact: the east perimeter cameras do not cover the loading dock",
    employee_number="101419",
    employee_name="Lopez, Ana",
)


def open_case_by_keyboard(page, number: str) -> None:
    keyboard.activate(page, "nav[aria-label=Main] a", "Cases")
    keyboard.activate(page, f"main a[href='/cases/{number}']")
    expect(page.locator("main h1").first).to_contain_text(number)


def test_a_by_keyboard_alone(new_context, live_server, cast, shots, tmp_path: Path):
    page = new_context().new_page()
    sign_in(page, live_server.url, cast["investigator"], by_keyboard=True)
    keyboard.activate(page, "nav[aria-label=Main] a", "Log a complaint")
    expect(page.get_by_role("heading", name="Log a complaint")).to_be_visible()
    keyboard.type_into(page, "#title", COMPLAINT.title)
    keyboard.choose(page, "#complaint_source", "Anonymous tip")
    keyboard.type_into(page, "#narrative", "A caller to the tip line described the video.")
    keyboard.type_into(page, "#reporter_name", COMPLAINT.reporter_name)
    keyboard.type_into(page, "#reporter_contact", COMPLAINT.reporter_contact)
    keyboard.choose(page, "#platform", "TikTok")
    keyboard.type_into(page, "#account_handle", COMPLAINT.handle)
    keyboard.type_date_time(page, "#posted_at", "03/04/2026", "09:15 PM")
    keyboard.type_into(page, "#text", COMPLAINT.post_text)
    keyboard.choose(page, "#identified_as_doc", "Yes")
    keyboard.choose(page, "#on_duty", "Yes")  # filmed on shift: the 5.a charge below needs it
    expect(page.locator("#posted_at")).to_have_value("2026-03-04T21:15")
    shots.take(page, "complaint-form")
    keyboard.activate(page, "button[type=submit]", "Log the complaint")
    number = case_number_on(page)
    flash(page, f"Complaint logged as case {number}.")
    expect(page.locator("#posts")).to_contain_text("Posted 2026-03-04 21:15 EST")

    supervisor = new_context().new_page()
    sign_in(supervisor, live_server.url, cast["supervisor"], by_keyboard=True)
    open_case_by_keyboard(supervisor, number)
    keyboard.activate(supervisor, "nav.actions a", "Assign investigator")
    keyboard.choose(supervisor, "#investigator", "Dana Investigator")
    keyboard.activate(supervisor, "button[type=submit]", "Assign")
    flash(supervisor, "Case assigned to Dana Investigator, who is told in their inbox.")

    open_case_by_keyboard(page, number)
    state_is(page, "Open")
    keyboard.type_into(page, "#subject-q", COMPLAINT.employee_number)
    keyboard.activate(page, "button[type=submit]", "Search the roster")
    keyboard.activate(page, "ul.employee-matches a", COMPLAINT.employee_name)
    keyboard.activate(page, "button[type=submit]", f"Link {COMPLAINT.employee_name} as a subject")
    flash(page, f"{COMPLAINT.employee_name} linked as a subject.")
    shots.take(page, "subject-linked")

    png = tmp_path / "camera-post.png"
    sha256 = draw_screenshot(png, COMPLAINT.handle, COMPLAINT.post_text)
    keyboard.activate(page, "main a", "Upload an exhibit")
    keyboard.tab_to(page, "#file")
    page.locator("#file:focus").set_input_files(png)
    keyboard.type_into(page, "#description", "Screenshot of the TikTok video page")
    keyboard.type_into(page, "#capture_method", "Firefox screenshot")
    keyboard.activate(page, "button[type=submit]", "Add the exhibit")
    flash(page, f"Exhibit 1 added (SHA-256 {sha256}).")
    keyboard.activate(page, "main a", f"Back to {number}")

    for kind, body in (
        ("Phone call", "Called the tip line caller back; the video was up for a day."),
        ("Observation", "The video shows the loading dock and the camera on the east wall."),
    ):
        keyboard.choose(page, "#kind", kind)
        keyboard.type_into(page, "#body", body)
        keyboard.activate(page, "button[type=submit]", "Add note")
        flash(page, "Note added.")
    expect(page.locator("#notes li.note")).to_have_count(2)

    for clause in ("5.b.i.1", "5.a"):
        # After a save the page opens at the section saved; the allegations are above the notes: Shift+Tab.
        keyboard.activate(page, "main a", "Frame an allegation", backwards=True)
        keyboard.choose(page, "#citation", f"AD 2.26 {clause} ")
        keyboard.type_into(page, "#reasoning", f"The video falls under AD 2.26 {clause}.")
        keyboard.tab_to(page, "#exhibits-1")  # one checkbox per exhibit: Space ticks it
        page.keyboard.press("Space")
        expect(page.locator("#exhibits-1")).to_be_checked()
        keyboard.activate(page, "button[type=submit]", "Frame the allegation")
        flash(page, "Allegation framed.")
    shots.take(page, "allegations-framed")

    for index in (1, 2):
        keyboard.activate(
            page, f"#allegations article.allegation:nth-of-type({index}) a", "finding", backwards=index == 2
        )
        if index == 1:  # 5.b.i.1, off duty: the protected-speech screen comes before the finding (issue 17)
            speech_screen_by_keyboard(page)
        # every element of the clause answered "Met": Tab into each radio group, Space to check its first radio
        for element in range(page.locator("fieldset.element").count()):
            keyboard.tab_to(page, f"fieldset.element:nth-of-type({element + 1}) input[value=met]")
            page.keyboard.press("Space")
        expect(page.locator("fieldset.element input[value=met]:checked")).to_have_count(
            page.locator("fieldset.element").count()
        )
        keyboard.choose(page, "#finding", "Sustained")
        keyboard.activate(page, "button[type=submit]", "Save")
        flash(page, "Allegation saved.")
    expect(page.locator("#allegations").get_by_text("Finding: Sustained")).to_have_count(2)

    keyboard.activate(page, "#subjects a", "Propose a discipline step", backwards=True)
    suggested = page.locator("#suggestion-h").inner_text().removeprefix("Suggested: ")
    assert page.locator("#step option:checked").inner_text() == suggested
    keyboard.activate(page, "button[type=submit]", "Propose")
    flash(page, f"Discipline proposed for {COMPLAINT.employee_name}.")

    # no interview of the subject: the investigator records why before submitting (issue 17)
    keyboard.activate(page, "#interviews a", "Record why a subject was not interviewed")
    keyboard.choose(page, "#subject", COMPLAINT.employee_name)
    keyboard.choose(page, "#reason", "Declined to be interviewed")
    keyboard.type_into(page, "#note", "Declined in writing on the day the interview was offered.")
    keyboard.activate(page, "button[type=submit]", "Record the reason")
    flash(page, "Recorded why the subject was not interviewed.")

    keyboard.activate(page, "nav.actions a", "Submit for review", backwards=True)
    keyboard.type_into(page, "#comment", "Ready: two allegations, both sustained.")
    keyboard.activate(page, "button[type=submit]", "Yes, submit for review")  # the page itself asked
    flash(page, "Case submitted for review.")
    state_is(page, "In review")
    expect(page.locator("#subjects")).to_contain_text(f"Proposed discipline: {suggested} · suggested: {suggested}")
    shots.take(page, "submitted")


def speech_screen_by_keyboard(page) -> None:
    """The protected-speech screen with the keyboard alone: Tab into each yes/no group (its first radio, "Yes"),
    then Space keeps "Yes" or the down arrow moves to "No" and checks it."""
    keyboard.activate(page, "main a", "Complete the protected-speech screen")
    answers = {"public_concern": "no", "private_citizen": "yes", "union_activity": "no", "disrupts_operations": "yes"}
    answers |= {"disrupts_relationships": "no", "disrupts_discipline": "no", "disrupts_public_trust": "yes"}
    for name, answer in answers.items():
        keyboard.tab_to(page, f"#{name}-0")
        page.keyboard.press("Space" if answer == "yes" else "ArrowDown")
        expect(page.locator(f"input[name={name}][value={answer}]")).to_be_checked()
        keyboard.type_into(page, f"#{name}_reason", f"{answer.capitalize()}, as the video shows.")
    keyboard.tab_to(page, "#obtained_how-0")  # in public view on the platform
    page.keyboard.press("Space")
    keyboard.tab_to(page, "#no_credentials_demanded")
    page.keyboard.press("Space")
    expect(page.locator("#no_credentials_demanded")).to_be_checked()
    keyboard.activate(page, "button[type=submit]", "Save the screen")
    flash(page, "Protected-speech screen saved.")
