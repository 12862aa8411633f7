"""Records over time through the pages (issue 18): a subject's leave, legal holds, the sealed history and the
dashboard's leave and retention figures. Today is 2026-03-02 (the ``frozen_clock``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from project.extensions import db
from project.models import AuditEvent, DisciplineRecord
from project.services import records
from tests.factories import PASSWORD
from tests.unit.test_retention import imported_reprimand, outside_unit_employee


def test_labor_relations_records_and_ends_leave_and_sees_the_warning(client, world, frozen_clock, sign_in, post_form):
    case = world.approved()
    subject = case.subjects[0]
    sign_in(client, world.labor.email, PASSWORD)
    assert "Administrative leave</a>" in client.get(f"/cases/{case.number}").get_data(as_text=True)
    url = f"/cases/{case.number}/subjects/{subject.id}/leave"
    refused = post_form(
        client, url, {"paid": "paid", "starts_on": "2026-02-20", "ends_on": "2026-02-10", "reason": "x"}
    )
    assert refused.status_code == 400 and "The last day cannot be before the first." in refused.get_data(as_text=True)
    assert records.leave_of(subject) == []
    saved = post_form(client, url, {"paid": "paid", "starts_on": "2026-02-16", "ends_on": "", "reason": "Removed."})
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Near the paid-leave limit: 15 of 15" not in page
    assert "The paid-leave limit is reached: 15 of 15 days of paid leave used (RCSA 5-240-5a(f))." in page
    [period] = records.leave_of(subject)
    ended = post_form(client, f"{url}/{period.id}/end", {"ends_on": "2026-02-27"}, page=url)
    assert ended.status_code == 302
    db.session.refresh(period)
    assert period.ends_on == date(2026, 2, 27)


def test_a_supervisor_places_and_lifts_a_legal_hold_and_others_may_not(
    app, client, world, frozen_clock, sign_in, post_form
):
    case = world.approved()
    labor = app.test_client()
    sign_in(labor, world.labor.email, PASSWORD)
    assert labor.get("/retention/holds").status_code == 403
    sign_in(client, world.supervisor.email, PASSWORD)
    missing = post_form(client, "/retention/holds", {"case_number": "SM-1999-0001", "reason": "Litigation."})
    assert missing.status_code == 400 and "No case SM-1999-0001." in missing.get_data(as_text=True)
    placed = post_form(client, "/retention/holds", {"case_number": case.number, "reason": "Doe v. DOC."})
    assert placed.status_code == 302
    hold = records.active_hold(case.id)
    assert hold is not None and hold.reason == "Doe v. DOC."
    assert "Doe v. DOC." in client.get("/retention/holds").get_data(as_text=True)
    blank = post_form(client, f"/retention/holds/{hold.id}/lift", {"lift_reason": ""}, page="/retention/holds")
    assert blank.status_code == 400 and records.active_hold(case.id) is not None
    lifted = post_form(client, f"/retention/holds/{hold.id}/lift", {"lift_reason": "Settled."}, page="/retention/holds")
    assert lifted.status_code == 302 and records.active_hold(case.id) is None


def test_the_sealed_history_opens_for_an_admin_with_a_reason_only(app, client, world, frozen_clock, sign_in, post_form):
    outside_unit_employee()
    old = imported_reprimand("900100", "2025-02-01")
    records.apply_retention(date(2026, 3, 2))
    supervisor = app.test_client()
    sign_in(supervisor, world.supervisor.email, PASSWORD)
    assert supervisor.get("/retention/sealed-history").status_code == 403
    sign_in(client, world.admin.email, PASSWORD)
    no_reason = post_form(client, "/retention/sealed-history", {"employee_number": "900100", "reason": ""})
    assert no_reason.status_code == 400 and "Imported." not in no_reason.get_data(as_text=True)
    opened = post_form(
        client, "/retention/sealed-history", {"employee_number": "900100", "reason": "Court order 2026-77."}
    )
    page = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "Written reprimand" in page and "reprimand_outside_unit" in page
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.sealed_history_opened")).one()
    assert (event.actor_id, event.detail["reason"], event.detail["records"]) == (
        world.admin.id,
        "Court order 2026-77.",
        [old.id],
    )


def test_the_dashboard_shows_leave_over_the_limit_and_retention_due(client, world, frozen_clock, sign_in):
    case = world.approved()
    records.record_leave(
        case,
        case.subjects[0],
        records.LeaveInput("paid", date(2026, 2, 1), date(2026, 2, 20), "Removed from post."),
        world.actor(world.labor),
    )
    outside_unit_employee()
    imported_reprimand("900100", "2025-02-01")
    frozen_clock.current = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    sign_in(client, world.supervisor.email, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "Over the paid-leave limit: 20 of 15 days of paid leave used (RCSA 5-240-5a(f)), 5 day(s) over." in page
    assert '<span class="count">1</span> record due to be sealed' in page
    assert db.session.scalars(select(DisciplineRecord.expunged_on)).all() == [None], "the dashboard seals nothing"


def test_the_case_page_shows_a_legal_hold_and_a_way_to_lift_it_to_those_who_may(
    app, client, world, frozen_clock, sign_in
):
    case = world.approved()
    sign_in(client, world.supervisor.email, PASSWORD)
    assert "On legal hold" not in client.get(f"/cases/{case.number}").get_data(as_text=True)
    hold = records.place_hold(case, "Doe v. DOC, preservation letter.", world.actor(world.supervisor))
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "On legal hold" in page and "Doe v. DOC, preservation letter." in page
    assert f"placed by {world.supervisor.name} on 2026-03-02" in page
    assert f'href="/retention/holds#hold-{hold.id}"' in page
    assert f'id="hold-{hold.id}"' in client.get("/retention/holds").get_data(as_text=True)
    labor = app.test_client()
    sign_in(labor, world.labor.email, PASSWORD)
    seen = labor.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "On legal hold" in seen and "Doe v. DOC, preservation letter." in seen
    assert "/retention/holds" not in seen, "labor relations may not lift a hold"
    records.lift_hold(case, "Settled.", world.actor(world.supervisor))
    assert "On legal hold" not in client.get(f"/cases/{case.number}").get_data(as_text=True)
