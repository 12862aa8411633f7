from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from project import clock
from project.models import Role
from project.services import dashboard
from project.services.work_queue import work_queue

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> str:
    figures = None
    if current_user.has_role(Role.SUPERVISOR, Role.LABOR_RELATIONS):
        config = current_app.config
        figures = dashboard.build(current_user, clock.local_today(), config["EARLY_WARNING_CASES"],
                                  config["EARLY_WARNING_MONTHS"])
    return render_template("main/home.html", roles=sorted(current_user.role_set), queue=work_queue(current_user),
                           dashboard=figures, now=clock.now())
