"""Bounds on what a URL may carry: a record number in a path is a number a column can hold, so an over-long
one is a 404 like any other record that does not exist, never a database overflow (a 500)."""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on every engine


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with at most 10 digits and a value an id column can hold."""

    regex = r"\d{1,10}"

    def __init__(self, url_map: object, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


def init_app(app: Flask) -> None:
    """Every ``<int:...>`` of every route is bounded; registered before the blueprints add their rules. A
    path holding a control character (a NUL) names nothing: 404 before any view reads it."""
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def refuse_control_characters() -> None:
        if not request.path.isprintable():
            abort(404)
