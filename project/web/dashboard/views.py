from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from project import clock
from project.models import Role
from project.services import dashboard
from project.services.casework import work_queue

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> str:
    figures = None
    if current_user.has_role(Role.SUPERVISOR, Role.LABOR_RELATIONS):
        config, today = current_app.config, clock.local_today()
        figures = dashboard.build(
            current_user,
            today,
            config["EARLY_WARNING_CASES"],
            config["EARLY_WARNING_MONTHS"],
            leave_limit=(config["PAID_LEAVE_LIMIT_DAYS"], config["PAID_LEAVE_WARN_DAYS"]),
        )
    return render_template(
        "main/home.html",
        roles=sorted(current_user.role_set),
        queue=work_queue(current_user),
        dashboard=figures,
        now=clock.now(),
    )
