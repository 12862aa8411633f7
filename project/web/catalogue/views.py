from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from project.permissions import can_view_catalogue
from project.services import catalogue
from project.services.catalogue import reference_lists
from project.web.access import permission_required

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


@bp.get("/")
@permission_required(can_view_catalogue)
def index() -> str:
    return render_template("catalogue/index.html", directives=catalogue.directives())


@bp.get("/discipline")
@permission_required(can_view_catalogue)
def reference() -> str:
    return render_template("catalogue/reference.html", lists=reference_lists())


@bp.get("/<number>")
@permission_required(can_view_catalogue)
def directive(number: str) -> str:
    found = catalogue.directive_by_number(number)
    if found is None:
        abort(404)
    version = None
    if found.versions:
        version = catalogue.displayed_version(found, request.args.get("version", ""))
        if version is None:
            abort(404)
    return render_template("catalogue/directive.html", directive=found, version=version)
