"""Casefile: disciplinary cases for social-media violations of AD 2.26."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from project import clock
from project.config import build_config, make_private_storage
from project.template_cache import bytecode_cache

ROOT = Path(__file__).resolve().parent.parent


def create_app(environ: dict[str, str] | None = None, **overrides: Any) -> Flask:
    """Build the app from the environment (or ``environ``), with ``overrides`` for tests."""
    env = dict(os.environ if environ is None else environ)
    instance_path = env.get("INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(__name__, instance_path=instance_path, template_folder=str(ROOT / "templates"))
    app.config.from_mapping(build_config(instance_path, env))
    app.config.from_mapping(overrides)
    make_private_storage(app.config, app.instance_path)  # 0700 folder, 0600 database files (F16)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": bytecode_cache(app.instance_path)}
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    register_extensions(app)
    register_request_telemetry(app)
    register_session_rules()
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    configure_logging(app)
    return app


def register_extensions(app: Flask) -> None:
    from project.extensions import csrf, db, login_manager
    from project.services.accounts import configure_hasher, limiter_for
    from project.web.accounts.login import configure_login

    configure_hasher(app.config["PASSWORD_HASH_PARAMS"])
    app.extensions["casefile_rate_limiter"] = limiter_for(app.config["RATE_LIMIT_STORAGE_URL"])
    clock.configure_zone(app.config["TIMEZONE"])
    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    configure_login(login_manager)


def register_request_telemetry(app: Flask) -> None:
    """Each request's id, time (for /metrics) and access line: before every other hook, so it times them."""
    from project.web import telemetry

    telemetry.init_app(app)


def register_session_rules() -> None:
    """Rules every database session keeps, whoever writes through it: SQLite's pragmas, notes and audit rows
    append-only, the audit rows chained by hash at commit, the search text written with its record, and the
    running deadlines and the dashboard's days stored with the commit that changes them. Each is registered
    once per process, however many apps are built."""
    from project import database
    from project.services import audit, casework, dashboard, deadlines, search

    database.install_sqlite_pragmas()
    audit.install_append_only_guards()
    audit.install_hash_chain()
    search.install_index_upkeep(casework.protected_identifiers)
    deadlines.install_upkeep()
    dashboard.install_upkeep()


def register_blueprints(app: Flask) -> None:
    from project.web import bounds, security, typed_work
    from project.web.accounts.oidc import bp as oidc_bp
    from project.web.accounts.second_factor import bp as mfa_bp
    from project.web.accounts.views import bp as auth_bp
    from project.web.admin.views import bp as admin_bp
    from project.web.casework.interviews import bp as interviews_bp
    from project.web.casework.records import bp as records_bp
    from project.web.casework.speech import bp as speech_bp
    from project.web.casework.subjects import bp as subjects_bp
    from project.web.casework.views import bp as cases_bp
    from project.web.catalogue.views import bp as catalogue_bp
    from project.web.dashboard.views import bp as main_bp
    from project.web.discipline.views import bp as discipline_bp
    from project.web.evidence.redaction import bp as redaction_bp
    from project.web.evidence.views import bp as evidence_bp
    from project.web.labor.grievances import bp as grievances_bp
    from project.web.labor.letters import bp as letters_bp
    from project.web.labor.views import bp as labor_bp
    from project.web.notifications.views import bp as inbox_bp
    from project.web.packets.views import bp as packets_bp
    from project.web.probes.views import bp as probes_bp
    from project.web.records.leave import bp as leave_bp
    from project.web.records.retention import bp as retention_bp
    from project.web.reviews.just_cause import bp as just_cause_bp
    from project.web.reviews.views import bp as reviews_bp

    bounds.init_app(app)
    for blueprint in (
        main_bp,
        auth_bp,
        mfa_bp,
        oidc_bp,
        catalogue_bp,
        admin_bp,
        cases_bp,
        records_bp,
        speech_bp,
        subjects_bp,
        interviews_bp,
        discipline_bp,
        reviews_bp,
        just_cause_bp,
        evidence_bp,
        labor_bp,
        grievances_bp,
        letters_bp,
        packets_bp,
        redaction_bp,
        inbox_bp,
        leave_bp,
        retention_bp,
        probes_bp,
    ):
        app.register_blueprint(blueprint)
    security.init_app(app)
    typed_work.init_app(app)


def register_error_handlers(app: Flask) -> None:
    from project.web import responses
    from project.web.errors import init_app

    init_app(app)
    responses.init_app(app)


def register_template_helpers(app: Flask) -> None:
    from project.web.templating import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    from project.commands import init_app

    init_app(app)


def configure_logging(app: Flask) -> None:
    from project import logs

    logs.configure(app.config["LOG_FORMAT"], quiet=app.debug or app.testing)
