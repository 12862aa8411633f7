"""Settings per environment, read from the process environment.

``APP_ENV`` picks the class: ``development`` (default), ``testing`` or ``production``.
Production refuses to start without ``SECRET_KEY`` and refuses SQLite unless
``ALLOW_SQLITE_IN_PRODUCTION=1``.
"""

from __future__ import annotations

import math
import os
import secrets
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from project.config_directory import DirectoryConfigError, directory_settings
from project.config_operations import OperationsConfigError, operations_settings

SECRET_KEY_MIN_BITS = 128  # by character frequencies (F18)
SECRET_KEY_MIN_GUESSES_LOG10 = 30  # by zxcvbn: about 100 bits


class ConfigurationError(RuntimeError):
    """The environment does not describe a configuration the app may run with."""


def normalize_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver, whatever spelling was given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class BaseConfig:
    APP_ENV = "development"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    EVIDENCE_DIR: str | None = None
    TIMEZONE = "America/New_York"
    DEMO_PASSWORD = "casefile-demo-2026"  # noqa: S105 - the documented demo default, never used in production

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session, which idles out after 30 minutes
    EVIDENCE_MAX_BYTES = 25 * 1024 * 1024  # one exhibit file
    PACKET_JOBS_INLINE = False  # True: packets render within the request (tests), not in a background thread
    BATES_PREFIX = "DOC-"  # Bates numbers read BATES_PREFIX + case number + "-" + six-digit page
    EVIDENCE_MAX_PIXELS = 60_000_000  # width x height; larger images are refused as decompression bombs
    # A PDF exhibit (issue 15, F4): at most this many pages, each at most EVIDENCE_MAX_PIXELS when printed at
    # 150 dpi; it is read only in a worker process with this much memory and this many seconds per answer.
    # Each may be set in the environment.
    EVIDENCE_MAX_PDF_PAGES = 200
    EVIDENCE_PDF_WORKER_MEMORY_MB = 1024
    EVIDENCE_PDF_WORKER_SECONDS = 60
    # Audio and video exhibits (issue 17, item 3), department settings: the largest recording of each kind
    # (EVIDENCE_MAX_BYTES stays the limit for images and PDFs), and ffprobe/ffmpeg (Debian's ffmpeg; optional:
    # without it durations and key frames are off and the pages say so), each run limited in memory and time.
    EVIDENCE_MAX_AUDIO_BYTES = 50 * 1024 * 1024
    EVIDENCE_MAX_VIDEO_BYTES = 200 * 1024 * 1024
    FFMPEG_CMD = "ffmpeg"
    FFPROBE_CMD = "ffprobe"
    EVIDENCE_MEDIA_WORKER_MEMORY_MB = 1024
    EVIDENCE_MEDIA_WORKER_SECONDS = 60
    # a whole request, form fields included: 1 MB above the largest exhibit of any kind
    MAX_CONTENT_LENGTH = max(EVIDENCE_MAX_BYTES, EVIDENCE_MAX_AUDIO_BYTES, EVIDENCE_MAX_VIDEO_BYTES) + 1024 * 1024
    # The OCR program behind the redaction page's text suggestions (Debian's tesseract-ocr); when it is not
    # found, text suggestions are off and the page says so. TESSERACT_CMD in the environment overrides it.
    TESSERACT_CMD = "tesseract"
    # Read an image exhibit's text by OCR at upload, for search (when Tesseract is found); off, `flask evidence
    # ocr` reads the exhibits not read yet. OCR_ON_UPLOAD=0/1 in the environment overrides it.
    OCR_ON_UPLOAD = True

    SESSION_IDLE_TIMEOUT = timedelta(minutes=30)  # SESSION_IDLE_MINUTES in the environment overrides it
    # Pages warn this many seconds before the idle sign-out, with "Stay signed in" (issue 16, item 4);
    # SESSION_WARNING_SECONDS overrides it.
    SESSION_WARNING_SECONDS = 120
    # However busy a session is, it ends this long after sign-in (issue 15, F12); SESSION_ABSOLUTE_HOURS overrides.
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
    # The two-person rule for role grants (issue 15, F8): ROLE_GRANTS_NEED_SECOND_ADMIN=1 makes a role an
    # administrator gives wait until a second administrator approves it.
    ROLE_GRANTS_NEED_SECOND_ADMIN = False
    # A department setting (issue 16, intake): may the investigator who logs a complaint take it from intake
    # (assign it to themselves)? Off: a supervisor assigns every case. INTAKE_SELF_ASSIGN=1 overrides.
    INTAKE_SELF_ASSIGN = False
    # A department setting (issue 17, interviews): the version of the Garrity warning form the department uses
    # now, offered when a compelled interview is recorded (the form given is recorded with each interview).
    # Its text is the department's, not AD 2.26's. GARRITY_FORM_VERSION overrides.
    GARRITY_FORM_VERSION = "DOC Garrity warning form, rev. 2024-01 (department setting)"
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    SESSION_COOKIE_NAME = "casefile_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(0)

    PASSWORD_HASH_PARAMS: dict[str, int] | None = None  # argon2id defaults
    SIGN_IN_MAX_FAILURES = 5
    SIGN_IN_LOCKOUT = timedelta(minutes=10)
    # Sign-in attempts allowed per client address and per account name within the window (ASVS 2.2.1);
    # counted in memory, or in Redis when RATE_LIMIT_STORAGE_URL is set (several workers share counts).
    SIGN_IN_RATE_PER_ADDRESS = 30
    SIGN_IN_RATE_PER_ACCOUNT = 10
    SIGN_IN_RATE_WINDOW_SECONDS = 300
    RATE_LIMIT_STORAGE_URL: str | None = None
    # Roles whose accounts must sign in with an authenticator app (ASVS 2.2.3 level 2); others may opt in.
    # MFA_REQUIRED_ROLES="admin,supervisor" in the environment overrides this; an empty value requires none.
    MFA_REQUIRED_ROLES = frozenset({"admin", "supervisor", "labor_relations"})
    MFA_ISSUER = "Casefile"  # the name the authenticator app shows beside the account
    MFA_PENDING_SECONDS = 300  # time from a right password to the code (or the end of enrolment)
    # The dashboard's early warning: employees with this many cases received within this many months.
    EARLY_WARNING_CASES = 2
    EARLY_WARNING_MONTHS = 12
    # Administrative leave (issue 18): paid leave pending an investigation is limited to 15 days (RCSA
    # 5-240-5a(f)); the warning comes PAID_LEAVE_WARN_DAYS days before the limit (a department setting).
    PAID_LEAVE_LIMIT_DAYS = 15
    PAID_LEAVE_WARN_DAYS = 3
    # Comparable cases (issue 17, item 7), department settings: a proposed step needs a written reason when at
    # least COMPARABLES_MIN_CASES comparable past cases exist and the step is more than COMPARABLES_STEPS_AWAY
    # steps of the ladder above or below their median step. The environment variables of the same names override.
    COMPARABLES_MIN_CASES = 5
    COMPARABLES_STEPS_AWAY = 1


class DevelopmentConfig(BaseConfig):
    APP_ENV = "development"


class TestingConfig(BaseConfig):
    APP_ENV = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-secret-key-not-for-use"  # noqa: S105
    PASSWORD_HASH_PARAMS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}  # speed, not strength
    PACKET_JOBS_INLINE = True
    MFA_REQUIRED_ROLES: frozenset[str] = frozenset()  # tests that need it switch it on
    OCR_ON_UPLOAD = False  # a second of Tesseract per upload; the tests that need it switch it on


class ProductionConfig(BaseConfig):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    # LOG_FORMAT is json (project/config_operations.py)
    # A database error's message leaves out the statement's values (names, e-mails), so the log it goes to
    # holds no personal data (issue 20, item 4).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {**BaseConfig.SQLALCHEMY_ENGINE_OPTIONS, "hide_parameters": True}


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


# Settings for each PostgreSQL session. random_page_cost 1.1 (PostgreSQL's default of 4 prices a random
# read as a spinning disk's) lets the planner take the indexes on solid-state storage: at 100,000 cases it
# turns the dashboard's and the search's hash joins over whole tables into index lookups. No parallel workers
# for a request's query: at 100,000 cases the search of a rare word spent 14 of its 22 ms starting one to read
# 6 rows, and on a web server the other cores serve the other requests.
POSTGRES_OPTIONS = "-c random_page_cost=1.1 -c max_parallel_workers_per_gather=0"


def _postgres_engine_options(base: type[BaseConfig], env: dict[str, str]) -> dict[str, Any]:
    options = env.get("POSTGRES_OPTIONS", POSTGRES_OPTIONS).strip()
    engine_options = dict(base.SQLALCHEMY_ENGINE_OPTIONS)
    if options:
        engine_options["connect_args"] = {"options": options}
    return engine_options


def _upload_limits(config: dict[str, Any], env: dict[str, str]) -> dict[str, int]:
    """The largest exhibit of each kind (image or PDF, audio, video), and of a whole request: 1 MB above them."""
    limits = {}
    for key in ("EVIDENCE_MAX_BYTES", "EVIDENCE_MAX_AUDIO_BYTES", "EVIDENCE_MAX_VIDEO_BYTES"):
        limits[key] = int(env[key]) if env.get(key) else config[key]
    limits["MAX_CONTENT_LENGTH"] = max(limits.values()) + 1024 * 1024
    return limits


def build_config(instance_path: str, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return the settings for ``APP_ENV`` with the environment's overrides applied and checked."""
    env = dict(os.environ if environ is None else environ)
    app_env = env.get("APP_ENV", "development")
    if app_env not in CONFIGS:
        raise ConfigurationError(f"APP_ENV must be one of {', '.join(CONFIGS)}, not {app_env!r}")
    base = CONFIGS[app_env]
    config = {key: getattr(base, key) for key in dir(base) if key.isupper()}

    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'casefile.sqlite'}"
    )
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = _postgres_engine_options(base, env)
    config["EVIDENCE_DIR"] = env.get("EVIDENCE_DIR") or str(Path(instance_path) / "evidence")
    config["TIMEZONE"] = env.get("TIMEZONE", base.TIMEZONE)
    config["DEMO_PASSWORD"] = env.get("DEMO_PASSWORD", base.DEMO_PASSWORD)
    config.update(_upload_limits(config, env))
    if env.get("SECRET_KEY"):
        config["SECRET_KEY"] = env["SECRET_KEY"]
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0 trusts none).
    config["PROXY_HOPS"] = int(env.get("PROXY_HOPS", "0"))
    config["BATES_PREFIX"] = env.get("BATES_PREFIX", base.BATES_PREFIX)
    config["TESSERACT_CMD"] = env.get("TESSERACT_CMD") or base.TESSERACT_CMD
    config["FFMPEG_CMD"] = env.get("FFMPEG_CMD") or base.FFMPEG_CMD
    config["FFPROBE_CMD"] = env.get("FFPROBE_CMD") or base.FFPROBE_CMD
    config["OCR_ON_UPLOAD"] = env.get("OCR_ON_UPLOAD", "1" if base.OCR_ON_UPLOAD else "0").strip() == "1"
    config["RATE_LIMIT_STORAGE_URL"] = env.get("RATE_LIMIT_STORAGE_URL") or None
    for key in (
        "SIGN_IN_RATE_PER_ADDRESS",
        "SIGN_IN_RATE_PER_ACCOUNT",
        "SIGN_IN_RATE_WINDOW_SECONDS",
        "EARLY_WARNING_CASES",
        "EARLY_WARNING_MONTHS",
        "PAID_LEAVE_LIMIT_DAYS",
        "PAID_LEAVE_WARN_DAYS",
        "COMPARABLES_MIN_CASES",
        "COMPARABLES_STEPS_AWAY",
        "EVIDENCE_MAX_PDF_PAGES",
        "EVIDENCE_PDF_WORKER_MEMORY_MB",
        "EVIDENCE_PDF_WORKER_SECONDS",
        "EVIDENCE_MEDIA_WORKER_MEMORY_MB",
        "EVIDENCE_MEDIA_WORKER_SECONDS",
    ):
        if env.get(key):
            config[key] = int(env[key])
    if "MFA_REQUIRED_ROLES" in env:
        config["MFA_REQUIRED_ROLES"] = _role_names(env["MFA_REQUIRED_ROLES"])
    config.update(_account_settings(env))
    config.update(_operations_settings(app_env, env))
    config.update(_directory_settings(env))

    _check_timezone(config["TIMEZONE"])
    if app_env == "production":
        _check_production(config, env)
    elif not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret_key(instance_path)
    return config


def _role_names(value: str) -> frozenset[str]:
    # the model package needs no app; imported late to keep config light
    from project.models.personnel.people import Role

    names = frozenset(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = names - {role.value for role in Role}
    if unknown:
        raise ConfigurationError(
            f"MFA_REQUIRED_ROLES names unknown roles {sorted(unknown)}; "
            f"roles are {', '.join(role.value for role in Role)}"
        )
    return names


def _directory_settings(env: dict[str, str]) -> dict[str, Any]:
    """LDAP and OpenID Connect sign-in (project/config_directory.py)."""
    from project.models.personnel.people import Role

    try:
        return directory_settings(env, frozenset(role.value for role in Role))
    except DirectoryConfigError as error:
        raise ConfigurationError(str(error)) from None


def _account_settings(env: dict[str, str]) -> dict[str, Any]:
    """Issue 15's account settings that the environment may override."""
    settings: dict[str, Any] = {}
    if "ROLE_GRANTS_NEED_SECOND_ADMIN" in env:
        settings["ROLE_GRANTS_NEED_SECOND_ADMIN"] = env["ROLE_GRANTS_NEED_SECOND_ADMIN"].strip() == "1"
    if "INTAKE_SELF_ASSIGN" in env:
        settings["INTAKE_SELF_ASSIGN"] = env["INTAKE_SELF_ASSIGN"].strip() == "1"
    if env.get("GARRITY_FORM_VERSION", "").strip():
        settings["GARRITY_FORM_VERSION"] = env["GARRITY_FORM_VERSION"].strip()[:60]
    if env.get("SESSION_IDLE_MINUTES"):
        settings["SESSION_IDLE_TIMEOUT"] = timedelta(minutes=float(env["SESSION_IDLE_MINUTES"]))
        settings["PERMANENT_SESSION_LIFETIME"] = settings["SESSION_IDLE_TIMEOUT"]
    if env.get("SESSION_WARNING_SECONDS"):
        settings["SESSION_WARNING_SECONDS"] = int(env["SESSION_WARNING_SECONDS"])
    if env.get("SESSION_ABSOLUTE_HOURS"):
        settings["SESSION_ABSOLUTE_LIFETIME"] = timedelta(hours=float(env["SESSION_ABSOLUTE_HOURS"]))
    return settings


def _operations_settings(app_env: str, env: dict[str, str]) -> dict[str, Any]:
    """The job queue, e-mail, the audit anchor, /metrics and the log (project/config_operations.py)."""
    try:
        return operations_settings(env, "json" if app_env == "production" else "text")
    except OperationsConfigError as error:
        raise ConfigurationError(str(error)) from None


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError(f"TIMEZONE {name!r} is not a known IANA time zone") from exc


def strong_secret_key(key: str) -> bool:
    """F18: the key's entropy, estimated two ways, is at least about 128 bits: its character frequencies
    (Shannon: a repeat or a short alphabet scores low) and zxcvbn's guess count (sequences, keyboard walks,
    words and repeats score low). A key from ``secrets.token_urlsafe(32)`` or ``token_hex(32)`` passes both."""
    from zxcvbn import zxcvbn

    counts = Counter(key)
    shannon_bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    return shannon_bits >= SECRET_KEY_MIN_BITS and zxcvbn(key[:100])["guesses_log10"] >= SECRET_KEY_MIN_GUESSES_LOG10


def _check_production(config: dict[str, Any], env: dict[str, str]) -> None:
    if not config["SECRET_KEY"]:
        raise ConfigurationError("SECRET_KEY must be set when APP_ENV=production")
    if len(config["SECRET_KEY"]) < 32:
        raise ConfigurationError("SECRET_KEY must be at least 32 characters when APP_ENV=production")
    if not strong_secret_key(config["SECRET_KEY"]):
        raise ConfigurationError(
            "SECRET_KEY is too easy to guess (a repeat, a sequence or words). Generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    uri = config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite") and env.get("ALLOW_SQLITE_IN_PRODUCTION") != "1":
        raise ConfigurationError(
            "APP_ENV=production needs DATABASE_URL pointing at PostgreSQL "
            "(set ALLOW_SQLITE_IN_PRODUCTION=1 to run on SQLite deliberately)"
        )


def make_private_storage(config: dict[str, Any], instance_path: str) -> None:
    """F16: the instance folder (0700) and a SQLite database with its journal files (0600) are the owner's
    alone, whether new or found more open. SQLite gives the -wal and -shm files its database file's mode."""
    instance = Path(instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(instance, 0o700)
    uri = str(config.get("SQLALCHEMY_DATABASE_URI") or "")
    database = uri.removeprefix("sqlite:///") if uri.startswith("sqlite:///") else ""
    if not database or database.startswith(":memory:"):
        return
    path = Path(database.split("?", 1)[0])
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # created owner-only before SQLite opens it
    for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        if each.exists():
            os.chmod(each, 0o600)


def _instance_secret_key(instance_path: str) -> str:
    """Outside production, keep a random key in the instance folder so sessions survive restarts."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if len(key) >= 32:
            return key
        path.unlink()  # empty or truncated: make a new one
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process is writing it: use theirs once it is complete
        for _ in range(50):
            key = path.read_text().strip()
            if len(key) >= 32:
                return key
            time.sleep(0.01)
        raise ConfigurationError(f"{path} holds no usable secret key") from None
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
