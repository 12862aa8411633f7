"""The release review and withdrawal through the pages: the exhibit page's forms, refusals shown with a
message (never a 500) and nothing written, the exhibit list, and the print page listing every state."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from project.extensions import db
from project.models import AuditEvent, ExhibitReleaseReview
from project.services import evidence
from tests.factories import PASSWORD
from tests.unit.test_release import two_screenshot_case


def show_url(case, n: int = 1) -> str:
    return f"/cases/{case.number}/exhibits/{n}"


def reviews_count() -> int:
    return db.session.scalar(select(func.count()).select_from(ExhibitReleaseReview)) or 0


def error_of(page: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error" role="alert">([^<]*)</p>', page)
    assert found, f"no error shown for {field}"
    return found.group(1)


def test_labor_relations_records_a_review_from_the_exhibit_page(client, world, sign_in, post_form):
    case = world.approved(exhibit=True)
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(show_url(case)).get_data(as_text=True)
    assert "Not reviewed" in page and "Nobody has reviewed it for release yet." in page
    assert f'action="/cases/{case.number}/exhibits/1/release"' in page
    assert "/withdraw" not in page, "labor relations does not withdraw exhibits"
    response = post_form(
        client,
        f"{show_url(case)}/release",
        {"decision": "releasable", "reason": "Shows only the post."},
        page=show_url(case),
        follow_redirects=True,
    )
    shown = response.get_data(as_text=True)
    assert response.status_code == 200 and "Release review of Exhibit 1 recorded: Releasable as it is." in shown
    assert "Lou Labor" in shown and "Shows only the post." in shown and "Reviewed for release" in shown
    listing = client.get(f"/cases/{case.number}/exhibits").get_data(as_text=True)
    assert 'class="release release-releasable">Releasable as it is' in listing


def test_bad_reviews_are_refused_with_a_message_and_write_nothing(client, world, sign_in, post_form):
    case = world.approved(exhibit=True)
    sign_in(client, world.labor.email, PASSWORD)
    url = f"{show_url(case)}/release"
    no_copy = post_form(client, url, {"decision": "redacted", "reason": "Checked."})
    assert no_copy.status_code == 400
    assert "Exhibit 1 has no redacted copy" in error_of(no_copy.get_data(as_text=True), "decision")
    no_reason = post_form(client, url, {"decision": "withheld", "reason": " "})
    assert no_reason.status_code == 400 and "reason" in error_of(no_reason.get_data(as_text=True), "reason")
    unknown = post_form(client, url, {"decision": "<script>", "reason": "x" * 5000})
    assert unknown.status_code == 400 and "Choose redacted" in error_of(unknown.get_data(as_text=True), "decision")
    assert "<script>" not in unknown.get_data(as_text=True).split("<main", 1)[-1].replace("&lt;script&gt;", "")
    assert reviews_count() == 0
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "exhibit.release_reviewed")
        )
        == 0
    )


def test_the_supervisor_withdraws_an_exhibit_and_it_shows_as_withdrawn(client, world, sign_in, post_form):
    case = world.in_review(exhibit=True)
    sign_in(client, world.supervisor.email, PASSWORD)
    url = f"{show_url(case)}/withdraw"
    refused = post_form(client, url, {"withdrawal_reason": ""}, page=show_url(case))
    assert refused.status_code == 400 and "Say why" in error_of(refused.get_data(as_text=True), "withdrawal_reason")
    done = post_form(client, url, {"withdrawal_reason": "Duplicate capture."}, page=show_url(case))
    assert done.status_code == 302 and done.headers["Location"].endswith(show_url(case))
    page = client.get(show_url(case)).get_data(as_text=True)
    assert "Withdrawn from the case" in page and "Duplicate capture." in page and "Sue Supervisor" in page
    assert f"{show_url(case)}/release" not in page and 'action="' + url not in page
    listing = client.get(f"/cases/{case.number}/exhibits").get_data(as_text=True)
    assert "release-withdrawn" in listing and ">Withdrawn<" in listing
    again = post_form(client, url, {"withdrawal_reason": "Again."})
    assert again.status_code == 400 and "already withdrawn" in again.get_data(as_text=True)


def test_the_investigator_may_withdraw_only_before_submission(client, world, sign_in, post_form):
    case = world.open(exhibit=True)
    sign_in(client, world.investigator.email, PASSWORD)
    assert 'id="withdrawal_reason"' in client.get(show_url(case)).get_data(as_text=True)
    response = post_form(client, f"{show_url(case)}/withdraw", {"withdrawal_reason": "Captured the wrong post."})
    assert response.status_code == 302 and evidence.exhibits_of(case)[0].is_withdrawn
    submitted = world.in_review(exhibit=True)
    assert 'id="withdrawal_reason"' not in client.get(show_url(submitted)).get_data(as_text=True)
    assert client.get(f"{show_url(submitted)}/withdraw").status_code == 403


def test_the_print_page_lists_every_exhibit_state_and_marks_the_unreviewed(client, world, sign_in):
    case, first, second = two_screenshot_case(world)
    evidence.review_for_release(case, first, "withheld", "Shows an inmate.", world.actor(world.labor))
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(f"/cases/{case.number}/packet").get_data(as_text=True)
    assert "The employee / union copy and the public release will be refused" in page  # renamed variants
    rows = re.findall(r"<tr( class=\"needs-review\")?>\s*<td><a [^>]*>(Exhibit \d)</a></td>\s*<td>(.*?)</td>", page)
    assert [(bool(marked), label) for marked, label, _ in rows] == [(False, "Exhibit 1"), (True, "Exhibit 2")]
    assert "Withheld" in rows[0][2] and "Not reviewed" in rows[1][2] and "Shows an inmate." in page
    evidence.review_for_release(case, second, "releasable", "Shows only the post.", world.actor(world.labor))
    page = client.get(f"/cases/{case.number}/packet").get_data(as_text=True)
    assert "will be refused" not in page and "Every exhibit has been reviewed" in page


def test_a_release_packet_asked_too_early_names_the_exhibit(client, world, sign_in, post_form):
    case, first, second = two_screenshot_case(world)
    evidence.review_for_release(case, first, "releasable", "Shows only the post.", world.actor(world.labor))
    sign_in(client, world.labor.email, PASSWORD)
    data = {"variant": "redacted", "recipient": "union, grievance step 2"}  # a release names its recipient
    started = post_form(client, f"/cases/{case.number}/packet", data)
    assert started.status_code == 302
    job = client.get(started.headers["Location"])
    page = job.get_data(as_text=True)
    assert job.status_code == 200 and "Exhibit 2 has not been reviewed for release" in page
    assert "Exhibit 1 has not been reviewed" not in page


def test_confirming_the_redacted_copy_links_to_it_and_records_which_copy(app, client, world, sign_in, post_form):
    case = world.approved(exhibit=True)
    exhibit = evidence.exhibits_of(case)[0]
    made = evidence.redact_exhibit(
        case,
        exhibit,
        evidence.RedactionInput([{"x": 0, "y": 0, "w": 40, "h": 20}], "Hide a bystander."),
        world.actor(world.labor),
        app.config["EVIDENCE_DIR"],
    )
    sign_in(client, world.labor.email, PASSWORD)
    page = client.get(show_url(case)).get_data(as_text=True)
    assert f'href="{show_url(case)}/redacted"' in page and "view it</a> before you record the review" in page
    done = post_form(client, f"{show_url(case)}/release", {"decision": "redacted", "reason": "Checked the copy."})
    assert done.status_code == 302
    review = db.session.scalars(select(ExhibitReleaseReview)).one()
    assert review.decision == "redacted" and review.redaction_id == made.id and review.reviewed_by_id == world.labor.id
