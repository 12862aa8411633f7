"""The review page as its own record (issue 14, part 4): the proposal beside the modification at review, the
changes since the last review, the investigator's comment and every earlier return, all escaped."""

from __future__ import annotations

from project.extensions import db
from project.services import casework, discipline
from tests.factories import PASSWORD, element_answers


def _under_review(world, comment="Interviewed; he admits the post."):
    case = world.proposed()
    casework.submit_for_review(case, world.actor(world.investigator), comment)
    return case


def _modify(world, case, reason="Posted the keypad code twice."):
    discipline.modify_proposal_at_review(
        case, case.subjects[0], discipline.ProposalInput("suspension", 3, reason), world.actor(world.supervisor)
    )


def test_the_review_and_proposal_pages_show_the_proposal_and_the_modification(client, world, sign_in):
    case = _under_review(world)
    _modify(world, case)
    subject = case.subjects[0]
    sign_in(client, world.supervisor.email, PASSWORD)
    proposed = "Proposed by Ivy Investigator: <strong>written reprimand</strong>"
    modified = (
        "Modified at review by Sue Supervisor: <strong>suspension of 3 days</strong>, because Posted the keypad "
        "code twice."
    )
    review = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    assert proposed in review and modified in review
    page = client.get(f"/cases/{case.number}/subjects/{subject.id}/modify").get_data(as_text=True)
    assert proposed in page and modified in page
    assert '<option selected value="suspension">' in page and 'value="3"' in page  # as it stands at this review


def test_approve_as_submitted_after_a_modification_is_refused_on_the_page(client, world, sign_in, post_form):
    case = _under_review(world)
    _modify(world, case)
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}/review"
    response = post_form(client, url, {"decision": "approved", "reasons": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    employee = case.subjects[0].employee
    assert (
        f"You modified the discipline for {employee.first_name} {employee.last_name} at this review; choose "
        "&#34;Approve with modification&#34; and give the reason." in body
    )
    db.session.refresh(case)
    assert case.state == "in_review"


def test_approve_with_modification_without_one_is_refused_on_the_page(client, world, sign_in, post_form):
    case = _under_review(world)
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"/cases/{case.number}/review"
    response = post_form(client, url, {"decision": "approved_with_modification", "reasons": "Lowered."})
    assert response.status_code == 400
    assert "Nothing was modified at this review; approve as submitted, or modify the discipline first." in (
        response.get_data(as_text=True)
    )


def test_a_first_review_says_so_and_shows_the_comment_escaped(client, world, sign_in):
    case = _under_review(world, comment="See <script>alert(1)</script> in the post.")
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    assert "First review: no earlier review to compare with." in page
    assert "See &lt;script&gt;alert(1)&lt;/script&gt; in the post." in page
    assert "<script>alert(1)" not in page
    assert "The case has not been returned before." in page


def test_the_page_shows_the_changes_since_the_last_review_and_every_return(client, world, sign_in, frozen_clock):
    case = _under_review(world)
    supervisor, investigator = world.actor(world.supervisor), world.actor(world.investigator)
    casework.return_to_investigator(case, supervisor, "Say what the <keypad> opens.")
    [allegation] = casework.allegations_of(case.subjects[0])
    entry = casework.FindingInput("sustained", "The code opens the <sally port> door.", [], element_answers(allegation))
    casework.record_finding(case, allegation, entry, investigator, allegation.row_version)
    casework.submit_for_review(case, investigator, "Reasoning rewritten.")
    casework.return_to_investigator(case, supervisor, "Add the screenshot.")
    world.add_screenshot(case)
    casework.submit_for_review(case, investigator, "Screenshot added.")
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    assert "<ins>+ Exhibit 1: Screenshot of the post</ins>" in page
    assert "<del>" not in page  # the reasoning changed before the last review, not since
    assert "Returned by Sue Supervisor on 2026-03-02 09:30 EST" in page
    assert "Say what the &lt;keypad&gt; opens." in page and "Add the screenshot." in page
    assert "Screenshot added." in page and "Reasoning rewritten." not in page


def test_the_diff_escapes_what_the_case_says(client, world, sign_in):
    case = _under_review(world)
    casework.return_to_investigator(case, world.actor(world.supervisor), "Say what the keypad opens.")
    [allegation] = casework.allegations_of(case.subjects[0])
    entry = casework.FindingInput("sustained", "<b>The code</b> opens the sally port.", [], element_answers(allegation))
    casework.record_finding(case, allegation, entry, world.actor(world.investigator), allegation.row_version)
    casework.submit_for_review(case, world.actor(world.investigator))
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/review").get_data(as_text=True)
    assert "<del>-     Reasoning: The post shows the sally port keypad.</del>" in page
    assert "<ins>+     Reasoning: &lt;b&gt;The code&lt;/b&gt; opens the sally port.</ins>" in page
