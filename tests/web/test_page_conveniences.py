"""The small things people expect: a question before an irreversible step, a printable case page."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD


@pytest.mark.parametrize(
    "state,who,path",
    [("in_review", "supervisor", "review"), ("discipline", "supervisor", "close"), ("closed", "supervisor", "reopen")],
)
def test_irreversible_steps_ask_after_the_servers_checks_not_in_a_browser_dialog(
    client, world, state, who, path, sign_in
):
    """Issue 16: a browser dialog came before the server's checks (confirm, then an error); the question is now
    a page of its own (tests/web/test_confirm_after_checks.py)."""
    case = world.in_state(state)
    sign_in(client, getattr(world, who).email, PASSWORD)
    page = client.get(f"/cases/{case.number}/{path}").get_data(as_text=True)
    assert "data-confirm" not in page and "Next you see" in page and "and confirm it." in page
    assert '<script src="/static/js/page.js" defer></script>' in page


def test_the_submit_page_is_itself_the_confirmation_after_the_servers_checks(client, world, sign_in):
    """No browser dialog on top of a page that already asks, and no "Submit version 14?" (issue 16)."""
    sign_in(client, world.investigator.email, PASSWORD)
    unready = world.open()
    page = client.get(f"/cases/{unready.number}/submit").get_data(as_text=True)
    assert "The case is not ready for review:" in page and " disabled>Yes, submit for review" in page
    ready = world.ready_for_review()
    page = client.get(f"/cases/{ready.number}/submit").get_data(as_text=True)
    assert "data-confirm" not in page and "Submit version" not in page
    assert "goes to a supervisor exactly as it stands now" in page and ">Yes, submit for review</button>" in page


def test_the_question_script_is_served_by_the_app(client):
    script = client.get("/static/js/page.js")
    text = script.get_data(as_text=True)
    assert script.status_code == 200 and "window.confirm" not in text and "window.print()" in text


def test_the_case_page_prints_with_the_confidentiality_banner(client, world, sign_in):
    case = world.in_state("open")
    sign_in(client, world.investigator.email, PASSWORD)
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "data-print>Print this page</button>" in page
    assert '<p class="print-banner">CONFIDENTIAL - PERSONNEL · printed from Casefile by Ivy Investigator</p>' in page
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert re.search(r"@media print \{[^}]*\.site-header[^}]*form[^}]*display: none", css)


@pytest.mark.parametrize(
    "who,path",
    [
        ("investigator", "/cases/{number}"),  # notes, subjects and the case's own forms on one page
        ("supervisor", "/cases/{number}"),
        ("admin", "/admin/users"),  # a form per user
        ("investigator", "/auth/mfa"),
    ],
)
def test_pages_with_several_forms_repeat_no_element_id(client, world, who, path, sign_in):
    """WCAG 4.1.1 / a label or script must find exactly one element by its id."""
    case = world.in_state("open")
    sign_in(client, getattr(world, who).email, PASSWORD)
    page = client.get(path.format(number=case.number))
    assert page.status_code == 200
    ids = re.findall(r'\sid="([^"]+)"', page.get_data(as_text=True))
    assert ids and sorted({i for i in ids if ids.count(i) > 1}) == []
