"""What the journeys share: the complaint they log, a drawn screenshot to upload, and finding things on pages."""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
import wave
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageDraw

from project.commands import SEED_DIR
from tests.browser.people import expect

ZONE = ZoneInfo("America/New_York")
CASE_NUMBER = re.compile(r"SM-\d{4}-\d{4}")


@dataclass(frozen=True)
class Complaint:
    """A complaint with its reported post, as typed into "Log a complaint"."""

    title: str
    reporter_name: str
    reporter_contact: str
    handle: str
    post_text: str
    employee_number: str
    employee_name: str  # as the roster shows it: "Last, First"


@dataclass
class Story:
    """What a journey leaves for the next one (the case it made), and why a later one cannot go on."""

    facts: dict[str, str] = field(default_factory=dict)

    def need(self, key: str, journey: str) -> str:
        if key not in self.facts:
            pytest.skip(f"needs {journey}, which did not complete")
        return self.facts[key]


def write_recording(path: Path, seconds: int = 2) -> str:
    """A short WAV recording (a 440 Hz tone, 8 kHz mono); returns its SHA-256 (hex)."""
    rate = 8000
    samples = b"".join(
        int(12000 * math.sin(2 * math.pi * 440 * n / rate)).to_bytes(2, "little", signed=True)
        for n in range(rate * seconds)
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def draw_screenshot(path: Path, handle: str, text: str) -> str:
    """A PNG that looks like a captured post; returns its SHA-256 (hex) as the app should show it."""
    image = Image.new("RGB", (720, 480), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 719, 56), fill=(193, 53, 132))
    draw.text((20, 20), "Instagram", fill="white")
    draw.ellipse((20, 76, 76, 132), fill=(200, 200, 210))
    draw.text((92, 84), handle, fill="black")
    draw.text((92, 108), "Posted Mar 1, 2026 22:05", fill=(90, 90, 90))
    draw.text((20, 160), text, fill="black")
    draw.rectangle((20, 200, 700, 440), fill=(70, 80, 70))
    draw.text((40, 310), "[photo: keypad beside the sally port door]", fill="white")
    image.save(path, format="PNG")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def today() -> date:
    return datetime.now(ZONE).date()


def next_business_day(day: date) -> date:
    """The next weekday that is not a state holiday of seed_data/holidays.toml (as the app counts)."""
    holidays = {row["day"] for row in tomllib.loads((SEED_DIR / "holidays.toml").read_text())["holidays"]}
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def case_number_on(page) -> str:
    """The case number of the case page shown (its heading reads "SM-YYYY-NNNN: title")."""
    heading = page.locator("main h1").first
    expect(heading).to_have_text(re.compile(r"^SM-\d{4}-\d{4}: "))
    found = CASE_NUMBER.search(heading.inner_text())
    assert found
    return found.group(0)


def open_case_from_list(page, number: str) -> None:
    """Main navigation "Cases", then the case's link in the list."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    page.locator("main").get_by_role("link", name=re.compile(number)).first.click()
    expect(page.locator("main h1").first).to_contain_text(number)


def confirming(page, question: str, act) -> None:
    """Do ``act`` (a click or key press that sends a form): the server checks it and shows its confirmation
    step (issue 16: no browser dialog before the server's checks); check the question asked, then confirm."""
    dialogs: list[str] = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    act()
    heading = page.locator("main h1")
    expect(heading).to_contain_text("Confirm: ")
    expect(heading).to_contain_text(question)
    assert not dialogs, f"a browser dialog was raised: {dialogs}"
    page.get_by_role("button", name="Confirm", exact=True).click()


def open_case_titled(page, title: str) -> str:
    """Main navigation "Cases", then the number link in the row of the case with this title; its number."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    page.locator("main tr", has_text=title).get_by_role("link", name=CASE_NUMBER).first.click()
    expect(page.locator("main h1").first).to_contain_text(title)
    return case_number_on(page)


def flash(page, text: str | re.Pattern[str]) -> None:
    expect(page.locator(".flashes")).to_contain_text(text)


def link_subject(page, employee_number: str, employee_name: str) -> None:
    """On a case page: search the roster for the employee, choose them, confirm, and see them linked."""
    page.locator("#subjects").get_by_label("Find the employee to link").fill(employee_number)
    page.locator("#subjects").get_by_role("button", name="Search the roster").click()
    page.locator("main ul.employee-matches").first.get_by_role("link", name=employee_name, exact=True).click()
    page.get_by_role("button", name=f"Link {employee_name} as a subject").click()
    flash(page, f"{employee_name} linked as a subject.")


def state_is(page, label: str) -> None:
    expect(page.locator(".case-header .state")).to_have_text(label)


def answer_every_element(page, answer: str = "Met") -> None:
    """On a finding form: answer each element of the cited clause (a sustained finding needs all "Met")."""
    elements = page.locator("fieldset.element")
    expect(elements.first).to_be_visible()
    for index in range(elements.count()):
        elements.nth(index).get_by_label(answer, exact=True).check()


def record_interview(page, employee_name: str, recordings: tuple[str, ...] = ()) -> None:
    """On a case page: record the subject's compelled interview (the Garrity warning given and acknowledged, the
    representative waived), which a sustained finding needs before the case goes to review (issue 17), with the
    exhibits named in ``recordings`` ("Exhibit 2: ...") linked as its recordings."""
    page.locator("#interviews").get_by_role("link", name="Record an interview").click()
    page.get_by_label("Person interviewed").select_option(label=f"{employee_name} (subject)")
    held = (datetime.now() - timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    page.get_by_label("Date and time of the interview").fill(held)
    page.get_by_label("Place").fill("Internal affairs office")
    page.get_by_label("Type of interview").select_option("administrative")
    page.get_by_label("The Garrity warning was given before any question").check()
    page.get_by_label("The employee acknowledged the warning (signed the form)").check()
    page.get_by_label("Union representative (Weingarten)").select_option("waived")
    page.get_by_label("Summary of the statement").fill("Admits the post; says it was a joke.")
    for recording in recordings:  # one checkbox per exhibit
        page.get_by_label(recording, exact=True).check()
    page.get_by_role("button", name="Save the interview").click()
    flash(page, "Interview saved.")


# The protected-speech screen's answers for a post that disrupted operations (issue 17, item 5): yes/no per question
DISRUPTIVE_POST = {
    "Is the post on a matter of public concern?": "No",
    "Was it made as a private citizen (not as part of the employee's duties)?": "Yes",
    "Does it concern union activity?": "No",
    "Did it disrupt the department's operations?": "Yes",
    "Did it disrupt working relationships?": "No",
    "Did it disrupt discipline (the chain of command)?": "No",
    "Did it disrupt public trust in the department?": "Yes",
}


def complete_speech_screen(page, answers: dict[str, str] = DISRUPTIVE_POST) -> None:
    """On an allegation's finding page under 5.b: fill the protected-speech screen, which a finding needs first."""
    page.get_by_role("link", name="Complete the protected-speech screen").click()
    for question, answer in answers.items():
        group = page.locator("div.screen-question").filter(has=page.get_by_role("group", name=question))
        group.get_by_label(answer, exact=True).check()
        group.get_by_label("Why").fill(f"{answer}: as the exhibits show.")
    page.get_by_label("In public view on the platform").check()
    page.get_by_label("I attest that no one demanded the employee's user name", exact=False).check()
    page.get_by_role("button", name="Save the screen").click()
    flash(page, "Protected-speech screen saved.")
    expect(page.locator("section.speech-screen")).to_contain_text("Completed by")


def answer_just_cause(page, employee_name: str) -> None:
    """On the review page: answer the seven tests of just cause for the subject (issue 17, item 6), each met."""
    page.locator("#just-cause").get_by_role("link", name="Answer the seven tests").click()
    for test in page.locator("div.just-cause-test").all():
        test.get_by_label("Yes", exact=True).check()
        test.locator("input[type=text]").fill("Met on the record of the case.")
    page.get_by_label("Mitigating factors (one per line)").fill("Nine years of service without discipline")
    page.get_by_label("Aggravating factors (one per line)").fill("Posted where the public could see it")
    page.get_by_role("button", name="Save the answers").click()
    flash(page, f"Just cause answered for {employee_name}.")
