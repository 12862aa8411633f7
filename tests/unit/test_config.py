"""Configuration from the environment, and the SQLite connection settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, exc, text

from project import create_app
from project.config import ConfigurationError, build_config
from project.extensions import db

STRONG_KEY = "Wq3-kZ8rT1vN0bYp6LmC4xHs9Dg2JfAe7Ui5Oy_Rn"  # generated: F18 refuses a guessable key


def test_defaults_put_the_database_and_evidence_in_the_instance_folder(tmp_path: Path):
    config = build_config(str(tmp_path), {})
    assert config["APP_ENV"] == "development"
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'casefile.sqlite'}"
    assert config["EVIDENCE_DIR"] == str(tmp_path / "evidence")
    assert config["TIMEZONE"] == "America/New_York"
    assert len(config["DEMO_PASSWORD"]) >= 12


def test_development_keeps_a_generated_secret_key_across_restarts(tmp_path: Path):
    first = build_config(str(tmp_path), {})["SECRET_KEY"]
    assert len(first) >= 32
    assert build_config(str(tmp_path), {})["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0, "the key file must be private"


def test_production_requires_a_secret_key(tmp_path: Path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set"):
        build_config(str(tmp_path), {"APP_ENV": "production", "DATABASE_URL": "postgresql://db/casefile"})


def test_production_refuses_sqlite_unless_allowed(tmp_path: Path):
    env = {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY}
    with pytest.raises(ConfigurationError, match="ALLOW_SQLITE_IN_PRODUCTION"):
        build_config(str(tmp_path), env)
    config = build_config(str(tmp_path), env | {"ALLOW_SQLITE_IN_PRODUCTION": "1"})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SESSION_COOKIE_SECURE"] is True


def test_asvs_2_2_3_admins_supervisors_and_labor_relations_need_an_authenticator_app_by_default(tmp_path: Path):
    production = build_config(
        str(tmp_path), {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY, "DATABASE_URL": "postgresql://db/casefile"}
    )
    assert production["MFA_REQUIRED_ROLES"] == {"admin", "supervisor", "labor_relations"}
    assert build_config(str(tmp_path), {})["MFA_REQUIRED_ROLES"] == production["MFA_REQUIRED_ROLES"]
    everyone = build_config(str(tmp_path), {"MFA_REQUIRED_ROLES": "admin, Supervisor,labor_relations,investigator"})
    assert everyone["MFA_REQUIRED_ROLES"] == {"admin", "supervisor", "labor_relations", "investigator"}
    assert build_config(str(tmp_path), {"MFA_REQUIRED_ROLES": ""})["MFA_REQUIRED_ROLES"] == set()
    with pytest.raises(ConfigurationError, match="unknown roles"):
        build_config(str(tmp_path), {"MFA_REQUIRED_ROLES": "admin,superviser"})


def test_postgres_urls_use_psycopg_3(tmp_path: Path):
    env = {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY, "DATABASE_URL": "postgres://u@db:5432/casefile"}
    assert build_config(str(tmp_path), env)["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/casefile"


def test_unknown_environment_and_time_zone_are_refused(tmp_path: Path):
    with pytest.raises(ConfigurationError, match="APP_ENV"):
        build_config(str(tmp_path), {"APP_ENV": "staging"})
    with pytest.raises(ConfigurationError, match="TIMEZONE"):
        build_config(str(tmp_path), {"TIMEZONE": "Mars/Olympus_Mons"})


def test_sqlite_runs_with_wal_foreign_keys_busy_timeout_and_full_sync(tmp_path: Path):
    app = create_app({"APP_ENV": "testing", "INSTANCE_PATH": str(tmp_path)})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        db.engine.dispose()


def test_postgres_sessions_price_random_reads_for_solid_state_storage_and_start_no_workers(tmp_path: Path):
    postgres = {"DATABASE_URL": "postgresql://u@db:5432/casefile"}
    options = build_config(str(tmp_path), postgres)["SQLALCHEMY_ENGINE_OPTIONS"]
    expected = "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"
    assert options["connect_args"] == {"options": expected} and options["pool_pre_ping"]
    assert (
        "connect_args"
        not in build_config(str(tmp_path), {**postgres, "POSTGRES_OPTIONS": ""})["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    assert "connect_args" not in build_config(str(tmp_path), {})["SQLALCHEMY_ENGINE_OPTIONS"]  # SQLite


def test_production_logs_json_and_development_text_unless_log_format_says(tmp_path: Path):
    production = {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY, "DATABASE_URL": "postgresql://db/casefile"}
    assert build_config(str(tmp_path), production)["LOG_FORMAT"] == "json"
    assert build_config(str(tmp_path), {})["LOG_FORMAT"] == "text"
    assert build_config(str(tmp_path), {"LOG_FORMAT": "JSON"})["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT must be text or json"):
        build_config(str(tmp_path), {"LOG_FORMAT": "xml"})


def test_metrics_are_for_this_machine_unless_addresses_are_configured(tmp_path: Path):
    assert build_config(str(tmp_path), {})["METRICS_ALLOWED_ADDRESSES"] == ("127.0.0.1", "::1")
    configured = {"METRICS_ALLOWED_ADDRESSES": " 10.8.0.5, 192.0.2.0/24 ,"}
    assert build_config(str(tmp_path), configured)["METRICS_ALLOWED_ADDRESSES"] == ("10.8.0.5", "192.0.2.0/24")
    assert build_config(str(tmp_path), {"METRICS_ALLOWED_ADDRESSES": ""})["METRICS_ALLOWED_ADDRESSES"] == ()
    with pytest.raises(ConfigurationError, match="'prometheus.internal' is not an address or network"):
        build_config(str(tmp_path), {"METRICS_ALLOWED_ADDRESSES": "prometheus.internal"})


def test_the_job_queue_takes_its_settings_from_the_environment_and_names_one_it_cannot_read(tmp_path: Path):
    assert {k: build_config(str(tmp_path), {})[k] for k in ("JOB_QUEUE", "JOB_TIMEOUT_SECONDS", "JOB_RETRIES")} == {
        "JOB_QUEUE": "casefile",
        "JOB_TIMEOUT_SECONDS": 600,
        "JOB_RETRIES": 1,
    }
    given = build_config(str(tmp_path), {"JOB_QUEUE": "packets", "JOB_TIMEOUT_SECONDS": "120", "JOB_RETRIES": "0"})
    assert (given["JOB_QUEUE"], given["JOB_TIMEOUT_SECONDS"], given["JOB_RETRIES"]) == ("packets", 120, 0)
    for key in ("JOB_TIMEOUT_SECONDS", "JOB_RETRIES", "SMTP_PORT"):
        with pytest.raises(ConfigurationError, match=f"{key} must be a whole number, not 'ten'"):
            build_config(str(tmp_path), {key: "ten"})


def test_in_production_a_database_error_logged_holds_no_value_of_the_statement(tmp_path: Path):
    env = {"APP_ENV": "production", "SECRET_KEY": STRONG_KEY, "ALLOW_SQLITE_IN_PRODUCTION": "1"}
    config = build_config(str(tmp_path), env)
    engine = create_engine(config["SQLALCHEMY_DATABASE_URI"], **config["SQLALCHEMY_ENGINE_OPTIONS"])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE people (email TEXT UNIQUE)"))
        connection.execute(text("INSERT INTO people VALUES (:email)"), {"email": "pat.doe@example.gov"})
    with pytest.raises(exc.IntegrityError) as refused, engine.begin() as connection:
        connection.execute(text("INSERT INTO people VALUES (:email)"), {"email": "pat.doe@example.gov"})
    engine.dispose()
    assert "UNIQUE" in str(refused.value) and "pat.doe" not in str(refused.value)
