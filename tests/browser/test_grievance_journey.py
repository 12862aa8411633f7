"""After the notice (issue 18), in a real browser, through the pages only.

The demo's control-room case is in discipline: the captain was dismissed at the close of her pre-disciplinary
meeting, with the written notice (``flask seed --demo``). Labor relations files her grievance, records step 1's
denial and the appeal to step 2, step 2's and step 3's denials, the demand for arbitration, adds the award
document as an exhibit and records the award that reduces the dismissal to a 25-day suspension; the case page
shows the discipline as imposed and as modified, and the case closes only once the grievance is over. Then the
investigator's next case against the same captain weighs her record as the award left it: the suspension,
not the dismissal.

The demo decided the dismissal a month before it was seeded (its entry's ``built_days_ago``), so the grievance's
steps and the award are dated in the weeks after it, and the captain's next post, six days old, comes after the
award: the next case counts the suspension.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser.axe import check_page
from tests.browser.casework import confirming, draw_screenshot, flash, state_is, today
from tests.browser.people import expect, sign_in

pytestmark = pytest.mark.browser

EMPLOYEE = ("100859", "Fitzgerald, Shannon")


def person_page(new_context, live_server, cast, who: str):
    page = new_context(bypass_csp=True).new_page()  # axe is injected into labor relations' grievance page
    sign_in(page, live_server.url, cast[who])
    return page


def first_case(page, base_url: str, query: str) -> str:
    page.goto(f"{base_url}/cases/?mine=0&{query}")
    page.locator("main table a[href^='/cases/SM-']").first.click()
    found = re.search(r"SM-\d{4}-\d{4}", page.locator("main h1").first.inner_text())
    assert found
    return found.group(0)


def form(page, action: str):
    return page.locator("form", has=page.locator(f"input[name='action'][value='{action}']"))


def submit(page, action: str, fields: dict[str, str], button: str, selects: dict[str, str] | None = None) -> None:
    found = form(page, action)
    for label, value in fields.items():
        found.get_by_label(label, exact=True).fill(value)
    for label, value in (selects or {}).items():
        found.get_by_label(label, exact=True).select_option(label=value)
    found.get_by_role("button", name=button).click()
    flash(page, f"Grievance of {EMPLOYEE[1]}: saved.")


def no_axe_violation(page, name: str, axe_report) -> None:
    result = check_page(page, name)
    axe_report.add(result)
    assert not result.violations, f"{name}:\n" + "\n".join(v.describe() for v in result.violations)


def test_a_grievance_to_an_award_that_reduces_a_dismissal(
    new_context, live_server, cast, shots, axe_report, tmp_path: Path
):
    day = {ago: (today() - timedelta(days=ago)).isoformat() for ago in (30, 28, 26, 25, 22, 21, 18, 16, 8)}
    labor = person_page(new_context, live_server, cast, "labor")
    number = first_case(labor, live_server.url, f"state=discipline&employee={EMPLOYEE[0]}")
    expect(labor.locator("#labor")).to_contain_text("Dismissal")
    labor.get_by_role("link", name="Grievance and arbitration").click()
    expect(labor.locator("main")).to_contain_text("No grievance is on record.")
    expect(labor.locator("main")).to_contain_text("department setting (not yet confirmed by anyone)")
    submit(
        labor,
        "file",
        {"Day the grievance was filed": day[28], "Union's grievance number": "26-301", "Representative": "Pat Steward"},
        "Record the grievance",
    )
    submit(
        labor, "step", {"Hearing held on": day[26], "Decision dated": day[26]}, "Save the step", {"Decision": "Denied"}
    )
    submit(labor, "appeal", {"Appealed to the next step on": day[25]}, "Record the appeal")
    expect(labor.locator("table.grievance-steps")).to_contain_text("Step 2 (agency)")
    shots.take(labor, "grievance-step-2")
    no_axe_violation(labor, "grievance page, at step 2", axe_report)
    submit(
        labor, "step", {"Hearing held on": day[22], "Decision dated": day[22]}, "Save the step", {"Decision": "Denied"}
    )
    submit(labor, "appeal", {"Appealed to the next step on": day[21]}, "Record the appeal")
    submit(labor, "step", {"Decision dated": day[18]}, "Save the step", {"Decision": "Denied"})
    submit(
        labor, "arbitration", {"Arbitration demanded on": day[16], "Arbitrator": "Jordan Arbiter"}, "Record the demand"
    )
    expect(labor.locator("dl.arbitration")).to_contain_text("before Jordan Arbiter")

    award_file = tmp_path / "award.png"
    draw_screenshot(award_file, "@arbitration", "AWARD: 25-day suspension, no back pay")
    document = form(labor, "award_document")
    document.get_by_label("Award document (PDF or image)").set_input_files(award_file)
    document.get_by_role("button", name="Add the document").click()
    flash(labor, f"Grievance of {EMPLOYEE[1]}: saved.")
    award = form(labor, "award")
    award.get_by_label("Award", exact=True).select_option(label="Modified")
    award.get_by_label("Award dated").fill(day[8])
    award.get_by_label("Summary of the award").fill("No just cause for dismissal; a 25-day suspension stands.")
    award.get_by_label("Back pay (dollars)").fill("4,310.00")
    award.get_by_label("Award document (exhibit)").select_option(index=2)  # Exhibit 2: the award just added
    award.get_by_label("Penalty that stands instead (a modified award)").select_option(label="Suspension")
    award.get_by_label("Suspension days that stand").fill("25")
    award.get_by_role("button", name="Record the award").click()
    flash(labor, f"Grievance of {EMPLOYEE[1]}: saved.")
    expect(labor.locator("dl.arbitration")).to_contain_text(f"Modified on {day[8]}")
    expect(labor.locator("dl.arbitration")).to_contain_text("$4310.00")
    expect(labor.locator("dl.arbitration")).to_contain_text("Exhibit 2")
    shots.take(labor, "grievance-award")

    labor.get_by_role("link", name=f"Back to {number}").click()
    section = labor.locator("#labor")
    expect(section).to_contain_text("Resolved")
    labor.get_by_role("link", name="Close the case").click()
    labor.get_by_label("Reason").fill("The award is implemented.")
    confirming(labor, f"close the case {number}", labor.get_by_role("button", name="Close the case").click)
    state_is(labor, "Closed")

    investigator = person_page(new_context, live_server, cast, "investigator")
    first_case(investigator, live_server.url, f"state=open&employee={EMPLOYEE[0]}")
    investigator.get_by_role("link", name=re.compile("discipline step")).click()
    counted = investigator.locator("ul.counted")
    weighed = f"Dismissal of {day[30]}, as imposed; modified by award of {day[8]} to suspension (25 days) active"
    expect(counted).to_contain_text(weighed)  # counted: what the award left standing, on the post six days ago
    reason = f"The most severe record counted is the suspension of {day[30]}, so next step: demotion."
    expect(investigator.locator("main")).to_contain_text(reason)  # not "already the top of the ladder"
    shots.take(investigator, "next-case-weighs-the-award")
