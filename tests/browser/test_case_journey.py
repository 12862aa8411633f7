"""One case from the complaint to the packet, in a real browser, through the pages only.

(a) the investigator logs the complaint, the supervisor assigns it, the investigator links the subject,
uploads a screenshot, lists a witness, uploads the interview's recording (a WAV that plays in the page), writes
notes, frames two allegations, fills the protected-speech screen of the off-duty one, records findings, accepts
the suggested step, records the compelled interview with its recording and submits; (b) the supervisor returns
it, the investigator answers and resubmits, the supervisor reads the comparable cases, answers the seven tests of
just cause and approves; (c) labor relations records the meeting and notice, sees the deadline, reviews both
exhibits for release and prints both packets, which hold issue 17's sections.
The three run in order on one case; (b) and (c) skip, saying so, when the journey before did not complete.
Each person has their own browser context for a journey and signs in from the sign-in page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser.casework import (
    Complaint,
    Story,
    answer_every_element,
    answer_just_cause,
    case_number_on,
    complete_speech_screen,
    confirming,
    draw_screenshot,
    flash,
    link_subject,
    next_business_day,
    open_case_from_list,
    record_interview,
    state_is,
    today,
    write_recording,
)
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

COMPLAINT = Complaint(
    title="Sally port keypad code posted on Instagram",
    reporter_name="Officer Rita Reporter",
    reporter_contact="rita.reporter@example.test",
    handle="@night_shift_dj",
    post_text="New keypad at the sally port, code is on the sticky note lol",
    employee_number="101297",
    employee_name="Jackson, Darnell",
)
EXHIBIT_DESCRIPTION = "Screenshot of the Instagram post"
WITNESS = "Officer Lee Witness"
RECORDING = "Recording of the compelled interview"


@pytest.fixture(scope="module")
def story() -> Story:
    return Story()


def person_page(new_context, live_server, cast, who: str):
    """A new browser context for the person, signed in from the sign-in page."""
    page = new_context().new_page()
    sign_in(page, live_server.url, cast[who])
    return page


def test_a_investigator_builds_and_submits_a_case(new_context, live_server, cast, shots, story, tmp_path: Path):
    investigator = person_page(new_context, live_server, cast, "investigator")
    shots.take(investigator, "investigator-home")
    investigator.get_by_role("link", name="Log a complaint").first.click()
    form = investigator.locator("main form")
    form.get_by_label("Case title").fill(COMPLAINT.title)
    form.get_by_label("How the complaint came in").select_option(label="Staff report")
    form.get_by_label("Complaint narrative").fill("A lieutenant saw the post and sent a screenshot.")
    form.get_by_label("Reporter (confidential)").fill(COMPLAINT.reporter_name)
    form.get_by_label("Reporter contact (confidential)").fill(COMPLAINT.reporter_contact)
    form.get_by_label("Platform").select_option(label="Instagram")
    form.get_by_label("Post URL").fill("https://instagram.example/p/keypad")
    form.get_by_label("Account handle").fill(COMPLAINT.handle)
    form.get_by_label("Posted at").fill("2026-03-01T22:05")
    form.get_by_label("Text of the post (transcribed)").fill(COMPLAINT.post_text)
    form.get_by_label("In uniform or identified as DOC (5.b.i)").select_option(label="Yes")
    form.get_by_label("DOC images or insignia used (5.c)").select_option(label="Yes")  # charged under 5.c below
    form.get_by_label("Attribution evidence (profile, phone, admission, witness)").fill("Profile photo matches.")
    shots.take(investigator, "complaint-form")
    form.get_by_role("button", name="Log the complaint").click()
    number = case_number_on(investigator)
    flash(investigator, f"Complaint logged as case {number}.")
    # issue 16, intake: under the default department setting she cannot take it, and the page says who assigns it
    flash(investigator, "A supervisor assigns an investigator next (a department setting")
    expect(investigator.locator(".next-step")).to_contain_text("a supervisor assigns an investigator")
    expect(investigator.get_by_role("button", name="Take this case")).to_have_count(0)
    state_is(investigator, "Intake")
    expect(investigator.locator("#posts")).to_contain_text(COMPLAINT.post_text)
    # not assigned yet, but she logged it: she sees the reporter she typed (issue 13), other investigators do not
    expect(investigator.locator("#complaint")).to_contain_text(f"Reporter{COMPLAINT.reporter_name}")
    shots.take(investigator, "case-in-intake")

    supervisor = person_page(new_context, live_server, cast, "supervisor")
    open_case_from_list(supervisor, number)
    supervisor.get_by_role("link", name="Assign investigator").click()
    supervisor.get_by_label("Investigator").select_option(label="Dana Investigator")
    supervisor.get_by_role("button", name="Assign").click()
    flash(supervisor, "Case assigned to Dana Investigator, who is told in their inbox.")
    state_is(supervisor, "Open")
    shots.take(supervisor, "supervisor-assigned")

    investigator.reload()
    state_is(investigator, "Open")
    expect(investigator.locator("#complaint")).to_contain_text(COMPLAINT.reporter_name)  # now assigned to her
    link_subject(investigator, COMPLAINT.employee_number, COMPLAINT.employee_name)
    subject_heading = f"{COMPLAINT.employee_name} · {COMPLAINT.employee_number}"
    expect(investigator.locator("#subjects h3")).to_have_text(subject_heading)

    png = tmp_path / "keypad-post.png"
    sha256 = draw_screenshot(png, COMPLAINT.handle, COMPLAINT.post_text)
    investigator.get_by_role("link", name="Upload an exhibit").click()
    investigator.get_by_label("File: a PNG, JPEG, WebP or HEIC").set_input_files(png)
    investigator.get_by_label("What the exhibit shows").fill(EXHIBIT_DESCRIPTION)
    investigator.get_by_label("Source URL (where it was captured)").fill("https://instagram.example/p/keypad")
    investigator.get_by_label("Captured at (local time)").fill("2026-03-02T08:15")
    investigator.get_by_label("Capture method or tool").fill("Chrome screenshot, Windows 11")
    investigator.get_by_role("button", name="Add the exhibit").click()
    flash(investigator, f"Exhibit 1 added (SHA-256 {sha256}).")
    expect(investigator.locator("dl.facts code.hash")).to_have_text(sha256)
    thumbnail = investigator.locator("figure.exhibit-preview img")
    expect(thumbnail).to_be_visible()
    investigator.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    shots.take(investigator, "exhibit-uploaded")

    investigator.get_by_role("link", name=f"Back to {number}").click()
    # issue 17: a witness, and the interview's recording as an exhibit that plays in the page
    investigator.get_by_role("link", name="Add a person (witness, complainant").click()
    investigator.get_by_label("Part in the case").select_option(label="Witness")
    investigator.get_by_label("Name (as it may appear in the evidence)").fill(WITNESS)
    investigator.get_by_label("Phone").fill("860-555-0142")
    investigator.get_by_label("Note (who they are, where they appear)").fill("Saw the post on a coworker's phone.")
    investigator.get_by_role("button", name="List this person").click()
    flash(investigator, "Protected person listed")
    expect(investigator.locator("#protected")).to_contain_text(WITNESS)
    wav = tmp_path / "interview.wav"
    recording_sha256 = write_recording(wav)
    investigator.get_by_role("link", name="Upload an exhibit").click()
    investigator.get_by_label("File: a PNG, JPEG, WebP or HEIC").set_input_files(wav)
    investigator.get_by_label("What the exhibit shows").fill(RECORDING)
    investigator.get_by_label("Captured at (local time)").fill("2026-03-04T10:30")
    investigator.get_by_label("Capture method or tool").fill("Olympus voice recorder")
    investigator.get_by_role("button", name="Add the exhibit").click()
    flash(investigator, f"Exhibit 2 added (SHA-256 {recording_sha256}).")
    player = investigator.locator("audio.exhibit-player")
    expect(player).to_be_visible()
    expect(investigator.locator("main .duration").first).to_contain_text(re.compile(r"duration \d"))
    shots.take(investigator, "recording-uploaded")
    investigator.get_by_role("link", name=f"Back to {number}").click()
    for kind, body in (
        ("Interview", "Interviewed the employee with a steward; he admitted the account."),
        ("Records check", "The keypad code in the photo matched the code in use on March 1."),
    ):
        notes = investigator.locator("#notes")
        notes.get_by_label("Kind").select_option(label=kind)
        notes.get_by_label("Note", exact=True).fill(body)
        notes.get_by_role("button", name="Add note").click()
        flash(investigator, "Note added.")
    expect(investigator.locator("#notes li.note")).to_have_count(2)
    expect(investigator.locator("#notes li.note").nth(1)).to_contain_text("The keypad code in the photo matched")

    for clause in ("5.b.i.2", "5.c"):
        investigator.get_by_role("link", name="Frame an allegation").click()
        option = investigator.locator("#citation option", has_text=f"AD 2.26 {clause} ")
        investigator.get_by_label("Provision").select_option(option.get_attribute("value"))
        investigator.get_by_label("Reasoning").fill(f"The post falls under AD 2.26 {clause}.")
        investigator.get_by_label("Exhibit 1: " + EXHIBIT_DESCRIPTION).check()  # a checkbox, no Ctrl-click
        investigator.get_by_role("button", name="Frame the allegation").click()
        flash(investigator, "Allegation framed.")
    allegations = investigator.locator("#allegations article.allegation")
    expect(allegations).to_have_count(2)
    shots.take(investigator, "allegations-framed")

    for index in range(2):
        allegations.nth(index).get_by_role("link", name="Reasoning, exhibits and finding").click()
        if index == 0:  # 5.b.i.2, off duty: the protected-speech screen comes before a finding (issue 17)
            complete_speech_screen(investigator)
            shots.take(investigator, "speech-screen-done")
        answer_every_element(investigator)  # a sustained finding answers every element of its clause: met
        investigator.get_by_label("Finding").select_option(label="Sustained")
        investigator.get_by_role("button", name="Save").click()
        flash(investigator, "Allegation saved.")
    expect(allegations.get_by_text("Finding: Sustained")).to_have_count(2)

    investigator.get_by_role("link", name="Propose a discipline step").click()
    suggested = investigator.locator("#suggestion-h").inner_text().removeprefix("Suggested: ")
    assert suggested and suggested != "no discipline", suggested
    expect(investigator.get_by_label("Discipline step")).to_have_value(re.compile(r"\w"))
    assert investigator.locator("#step option:checked").inner_text() == suggested
    shots.take(investigator, "discipline-suggestion")
    investigator.get_by_role("button", name="Propose").click()
    flash(investigator, f"Discipline proposed for {COMPLAINT.employee_name}.")
    proposed = f"Proposed discipline: {suggested} · suggested: {suggested}"
    expect(investigator.locator("#subjects")).to_contain_text(proposed)

    # a sustained finding needs the subject's compelled interview before the case goes to review (issue 17)
    record_interview(investigator, COMPLAINT.employee_name, recordings=(f"Exhibit 2: {RECORDING}",))
    interviews = investigator.locator("#interviews")
    expect(interviews).to_contain_text("Administrative (compelled")
    expect(interviews.get_by_role("link", name="Exhibit 2")).to_be_visible()
    shots.take(investigator, "interview-recorded")

    investigator.get_by_role("link", name="Submit for review").click()
    expect(investigator.get_by_role("heading", name=f"Submit {number} for review")).to_be_visible()
    expect(investigator.locator(".form-errors")).to_have_count(0)  # nothing missing for review
    investigator.get_by_role("button", name="Yes, submit for review").click()  # the page itself asked
    flash(investigator, "Case submitted for review.")
    state_is(investigator, "In review")
    expect(investigator.get_by_role("link", name="Upload an exhibit")).to_have_count(0)  # frozen while in review
    shots.take(investigator, "submitted")
    story.facts.update(number=number, step=suggested, exhibit_sha256=sha256)


def test_b_supervisor_returns_then_approves(new_context, live_server, cast, shots, story):
    number = story.need("number", "journey (a)")
    reason = "Add how the account was tied to the employee beyond the profile photo."
    supervisor = person_page(new_context, live_server, cast, "supervisor")
    open_case_from_list(supervisor, number)
    supervisor.get_by_role("link", name="Review").click()
    expect(supervisor.locator("main")).to_contain_text(f"{COMPLAINT.employee_name}")
    supervisor.get_by_label("Return to the investigator (reasons required)").check()
    supervisor.get_by_label("Reasons", exact=True).fill(reason)
    shots.take(supervisor, "review-return")
    confirming(
        supervisor,
        f"record this decision on {number}",
        supervisor.get_by_role("button", name="Record the decision").click,
    )
    flash(supervisor, "Decision recorded: Return to the investigator (reasons required).")
    state_is(supervisor, "Open")

    investigator = person_page(new_context, live_server, cast, "investigator")
    open_case_from_list(investigator, number)
    expect(investigator.locator(".banner-returned")).to_contain_text("Returned by Sam Supervisor on")
    expect(investigator.locator(".banner-returned")).to_contain_text(reason)
    shots.take(investigator, "returned-banner")
    notes = investigator.locator("#notes")
    notes.get_by_label("Kind").select_option(label="Records check")
    notes.get_by_label("Note", exact=True).fill("Answer to the return: the phone number on the profile is his.")
    notes.get_by_role("button", name="Add note").click()
    flash(investigator, "Note added.")
    investigator.get_by_role("link", name="Submit for review").click()
    investigator.get_by_label("Comment for the reviewer").fill("Attribution added in note 3.")
    investigator.get_by_role("button", name="Yes, submit for review").click()
    state_is(investigator, "In review")

    supervisor.reload()
    state_is(supervisor, "In review")
    supervisor.get_by_role("link", name="Review").click()
    comparables = supervisor.locator("section.comparables")  # the "equal treatment" test reads them (issue 17)
    expect(comparables.first).to_contain_text("charged exactly")
    expect(comparables.first).to_contain_text("(department settings)")
    answer_just_cause(supervisor, COMPLAINT.employee_name)  # approving discipline needs the seven tests (issue 17)
    shots.take(supervisor, "just-cause-answered")
    supervisor.get_by_label("Approve as submitted").check()
    supervisor.get_by_label("Reasons", exact=True).fill("Attribution is now sufficient.")
    confirming(
        supervisor,
        f"record this decision on {number}",
        supervisor.get_by_role("button", name="Record the decision").click,
    )
    flash(supervisor, "Decision recorded: Approve as submitted.")
    state_is(supervisor, "Approved")
    approval = re.compile(r"Approved by Sam Supervisor on .+\(version \d+\)")
    expect(supervisor.locator(".case-header")).to_contain_text(approval)
    expect(supervisor.locator("#notes")).to_contain_text("Answer to the return")
    shots.take(supervisor, "approved")
    story.facts["approved"] = "yes"


def test_c_labor_relations_records_dates_and_prints_packets(
    new_context, live_server, cast, shots, story, tmp_path: Path
):
    number = story.need("number", "journey (a)")
    story.need("approved", "journey (b)")
    labor = person_page(new_context, live_server, cast, "labor")
    open_case_from_list(labor, number)
    expect(labor.locator("#complaint")).to_contain_text("Confidential")
    expect(labor.locator("main")).not_to_contain_text(COMPLAINT.reporter_name)
    labor.get_by_role("link", name="Record meeting, notice and discipline").click()
    on = today().isoformat()
    for label in ("Decision to discipline", "Pre-disciplinary meeting", "Written notice issued"):
        labor.get_by_label(label).fill(on)
    # the decision names its decision-maker, the demo's appointing authority (RCSA 5-240-1a(a))
    labor.get_by_label("Decision-maker (appointing authority)").select_option(
        label="Robin Morales, Commissioner's designee"
    )
    labor.get_by_role("button", name="Save").click()
    flash(labor, f"Labor relations record saved for {COMPLAINT.employee_name}.")
    state_is(labor, "Discipline")
    section = labor.locator("#labor")
    expect(section.locator("dl.facts")).to_contain_text(f"Pre-disciplinary meeting{on}")
    copy_row = section.locator("table.deadlines tr", has_text="Copy to the employee")
    expect(copy_row).to_contain_text(next_business_day(today()).isoformat())
    expect(copy_row).to_contain_text("Due")
    shots.take(labor, "labor-recorded")
    labor.get_by_role("navigation", name="Main").get_by_role("link", name="Deadlines").click()
    expect(labor.locator("main")).to_contain_text(number)
    shots.take(labor, "deadlines-list")

    # the internal packet names the reporter: only those who may see the reporter print it (a supervisor here)
    supervisor = person_page(new_context, live_server, cast, "supervisor")
    full = print_packet(supervisor, number, "Internal packet (full)", tmp_path / "full.pdf", shots)
    review_for_release(labor, number, shots)
    redacted = print_packet(
        labor, number, "Employee / union copy", tmp_path / "redacted.pdf", shots, "union, grievance step 1"
    )
    for reader in (full, redacted):
        assert len(reader.pages) > 0
        for page_number, page in enumerate(reader.pages, 1):
            text = page.extract_text()
            assert number in text and "CONFIDENTIAL - PERSONNEL" in text, f"page {page_number} lacks the marks"
    full_text = "\n".join(page.extract_text() for page in full.pages)
    redacted_text = "\n".join(page.extract_text() for page in redacted.pages)
    assert COMPLAINT.reporter_name in full_text and COMPLAINT.reporter_contact in full_text
    assert COMPLAINT.reporter_name not in redacted_text and COMPLAINT.reporter_contact not in redacted_text
    assert "[REDACTED]" in redacted_text
    assert COMPLAINT.post_text in redacted_text  # what is not confidential stays
    assert story.facts["step"] in full_text  # the AD 2.6 recommendation accepted in (a)
    flat = " ".join(full_text.split())  # issue 17's sections, as recorded through the pages in (a) and (b)
    for printed in ("Protected-speech screen", "Just cause", "5. People of the case and interviews", WITNESS):
        assert printed in flat, f"the full packet lacks {printed!r}"
    assert "Comparable cases" in flat and "Met on the record of the case." in flat
    assert "Administrative (compelled" in flat and "Exhibit 2" in flat
    assert WITNESS not in " ".join(redacted_text.split())  # a witness is a protected person: masked in release
    assert f"{story.facts['exhibit_sha256']}.png" in full.attachments and not redacted.attachments


def review_for_release(page, number: str, shots) -> None:
    """The print page lists both exhibits as not reviewed; the screenshot's page records it as releasable as it
    is, the interview recording's as withheld."""
    for exhibit, decision, why in (
        (1, "Releasable as it is", "Shows only the post; nobody else appears in it."),
        (2, "Withheld", "A compelled interview stays out of a release."),
    ):
        open_case_from_list(page, number)
        page.get_by_role("link", name="Print packet").click()
        expect(page.locator("tr.needs-review")).to_have_count(3 - exhibit)
        if exhibit == 1:
            shots.take(page, "packet-release-not-reviewed")
        page.locator("tr.needs-review").get_by_role("link", name=f"Exhibit {exhibit}").click()
        page.get_by_label(decision).check()
        page.get_by_label("Why (kept with the review)").fill(why)
        page.get_by_role("button", name="Record the review").click()
        flash(page, f"Release review of Exhibit {exhibit} recorded: {decision}.")
        expect(page.locator("#release-h + p")).to_contain_text(decision)


def print_packet(page, number: str, variant: str, path: Path, shots, recipient: str = "") -> PdfReader:
    """Print packet -> choose the variant (and name the recipient of a release) -> wait for the background job
    -> download the PDF."""
    open_case_from_list(page, number)
    page.get_by_role("link", name="Print packet").click()
    page.get_by_label(variant).check()
    if recipient:
        page.get_by_label("Recipient").fill(recipient)
    page.get_by_role("button", name="Print the packet").click()
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible(timeout=120_000)
    expect(page.locator(".flash-success")).to_contain_text("The packet is ready")
    shots.take(page, f"packet-{path.stem}-ready")
    with page.expect_download() as event:
        download_link.click()
    event.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    return PdfReader(path)
