from __future__ import annotations

from flask import Blueprint, render_template

from project.permissions import can_manage_roster, can_manage_users
from project.services import accounts, roster
from project.web.access import permission_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@permission_required(can_manage_users)
def users() -> str:
    return render_template("admin/users.html", users=accounts.list_users())


@bp.get("/roster")
@permission_required(can_manage_roster)
def roster_list() -> str:
    return render_template("admin/roster.html", employees=roster.list_employees())
