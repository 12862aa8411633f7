"""Journey (e): the admin creates an account (whose owner then signs in with it) and imports a roster file
with one bad row: the page names the row and its problem, and nothing from the file is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.people import Person, expect, sign_in

pytestmark = pytest.mark.browser

ROSTER = (
    "employee_number,last_name,first_name,title,facility,hire_date\n"
    "102001,Nakamura,Jun,Correction Officer,Cheshire Correctional Institution,2020-05-04\n"
    "102002,Okoro,Ada,Correction Officer,,2031-01-01\n"
)


def test_e_admin_creates_a_user_and_sees_the_bad_roster_row(new_context, live_server, cast, shots, tmp_path: Path):
    admin = new_context().new_page()
    sign_in(admin, live_server.url, cast["admin"])
    shots.take(admin, "admin-home")
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    admin.get_by_role("link", name="New user").click()
    newcomer = Person("nia.newcomer@demo.test", "Nia Newcomer", password="lantern-quarry-harbor-91")
    admin.get_by_label("Email").fill(newcomer.email)
    admin.get_by_label("Full name").fill(newcomer.name)
    admin.get_by_label("Investigator").check()
    admin.get_by_label("Initial password").fill(newcomer.password)
    shots.take(admin, "new-user-form")
    admin.get_by_role("button", name="Create the account").click()
    expect(admin.locator(".flashes")).to_contain_text(f"Account {newcomer.email} created.")
    row = admin.locator("table.data").first.locator("tr", has_text=newcomer.email)  # the accounts, not the grants
    expect(admin.locator("#role-grants")).to_contain_text(f"Investigator to {newcomer.email}")  # F8: listed
    expect(row).to_contain_text(newcomer.name)
    expect(row).to_contain_text("Investigator")
    expect(row).to_contain_text("Active")
    expect(row.get_by_role("button", name=f"Disable {newcomer.email}")).to_be_visible()  # says whose account
    shots.take(admin, "users")

    csv = tmp_path / "roster-with-a-bad-row.csv"
    csv.write_text(ROSTER)
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Roster").click()
    expect(admin.get_by_label("Prior discipline file (CSV, UTF-8)")).to_have_count(1)  # each file field named
    admin.get_by_label("Roster file (CSV, UTF-8)").set_input_files(csv)
    admin.get_by_role("button", name="Import the roster").click()
    expect(admin.get_by_label("Roster file (CSV, UTF-8)")).to_have_accessible_description(
        "Nothing was imported: 1 row is wrong; fix the rows listed below and import the file again."
    )
    problems = admin.locator("table.row-errors tbody tr")
    expect(problems).to_have_count(2)  # both problems of line 3, each on its own row
    expect(problems.nth(0)).to_contain_text("3")
    expect(admin.locator("table.row-errors")).to_contain_text("facility is empty")
    expect(admin.locator("table.row-errors")).to_contain_text("hire date 2031-01-01 is in the future")
    expect(admin.locator("table.row-errors")).not_to_contain_text("102001")
    employees = admin.locator("main > table.data").last
    expect(employees).to_contain_text("Alvarez, Maria")  # the demo roster is still there
    expect(employees).not_to_contain_text("Nakamura")  # the good row was not imported either
    shots.take(admin, "roster-bad-row")

    new_page = new_context().new_page()
    new_page.goto(f"{live_server.url}/auth/sign-in")
    new_page.locator("#email").fill(newcomer.email)
    new_page.locator("#password").fill(newcomer.password)
    new_page.get_by_role("button", name="Sign in").click()
    # issue 15, F8: the password the admin chose is replaced first (an investigator: no authenticator app asked)
    expect(new_page.get_by_role("heading", name="Change your password")).to_be_visible()
    expect(new_page.locator(".flashes")).to_contain_text("Choose a new password of your own")
    own = "copper heron meadow 58"
    new_page.get_by_label("Current password").fill(newcomer.password)
    new_page.get_by_label("New password (at least 12 characters)").fill(own)
    new_page.get_by_label("New password again").fill(own)
    new_page.get_by_role("button", name="Change the password").click()
    expect(new_page.locator("main h1")).to_contain_text(newcomer.name)
    shots.take(new_page, "newcomer-home")
