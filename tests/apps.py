"""The apps tests run against: one per backend for the whole run, set back for each test; or one of a test's own.

Building the app is cheap (about 15 ms), but a new app also compiles its URL rules and every template it renders
again: 30-100 ms a test. So each backend's app is built once (the ``shared_app`` fixture) and each test gets it
as a new app would be (``as_new``): the configuration as built, with the test's own instance folder (and its
evidence folder in it); the globals ``create_app`` sets (password hashing, time zone) set again; a new sign-in
rate limiter; a new app context (``g``, the database session) for the test and for each of its requests.

A test that changes the app itself (adds a route) is marked ``own_app``, and one marked ``commits`` runs on its
own app's engine: both get an app of their own, as every test did before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from project import clock, create_app
from project.services.accounts import configure_hasher, limiter_for

DEMO_PASSWORD = "correct horse battery"


def app_environ(database_url: str, instance: Path) -> dict[str, str]:
    return {
        "APP_ENV": "testing",
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "EVIDENCE_DIR": str(instance / "evidence"),
        "TIMEZONE": "America/New_York",
        "DEMO_PASSWORD": DEMO_PASSWORD,
    }


class RequestClient(FlaskClient):
    """Each request runs in its own app context, as in a server: its own ``g``, its own database
    session, nothing cached from the test's context or from an earlier request."""

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


def build_app(database_url: str, instance: Path) -> Flask:
    app = create_app(app_environ(database_url, instance))
    app.test_client_class = RequestClient
    return app


@contextmanager
def as_new(app: Flask, instance: Path) -> Iterator[Flask]:
    """``app`` as ``build_app`` made it, with ``instance`` as its instance folder; set back afterwards, and
    checked to have kept its routes."""
    config, instance_path, views = dict(app.config), app.instance_path, dict(app.view_functions)
    instance.mkdir(parents=True, exist_ok=True)
    app.instance_path = str(instance)
    app.config["EVIDENCE_DIR"] = str(instance / "evidence")
    configure_hasher(app.config["PASSWORD_HASH_PARAMS"])
    clock.configure_zone(app.config["TIMEZONE"])
    app.extensions["casefile_rate_limiter"] = limiter_for(app.config["RATE_LIMIT_STORAGE_URL"])
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(config)
        app.instance_path = instance_path
    assert app.view_functions == views, "the test changed the app's routes: mark it own_app"
