from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from project.services.work_queue import work_queue

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home() -> str:
    return render_template("main/home.html", roles=sorted(current_user.role_set), queue=work_queue(current_user))
