"""Hearth settings: one module, configured only by environment variables.

Embedded mode (the default) needs no configuration at all: SQLite in ./var, debug
off unless asked for, a development secret key. Production mode
(``HEARTH_ENV=production``) refuses to start without its secrets and turns on
every transport and login protection, so a forgotten variable fails loudly
instead of running an unsafe service.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str | None:
    """Read a setting; ``NAME_FILE`` (a path to a secret file) wins over ``NAME``."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_float(name: str, default: float) -> float:
    value = env_str(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


HEARTH_ENV = env_str("HEARTH_ENV", "development")
if HEARTH_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("HEARTH_ENV must be development, production or test")
PRODUCTION = HEARTH_ENV == "production"

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

_DEVELOPMENT_SECRET = "hearth-development-only-secret-key-never-use-in-production-0123456789"  # noqa: S105  # nosec B105
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else _DEVELOPMENT_SECRET) or ""
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEVELOPMENT_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) of 50+ characters is required")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form templates, found by FORM_RENDERER below
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "hearth.core",
    "hearth.accounts",
    "hearth.patients",
    "hearth.notifications",
    "hearth.personhood",
    "hearth.allergies",
    "hearth.careplans",
    "hearth.assessments",
    "hearth.monitoring",
    "hearth.visits",
    "hearth.planning",
    "hearth.medications",
    "hearth.equipment",
    "hearth.directory",
    "hearth.volunteers",
    "hearth.caregiving",
    "hearth.bereavement",
    "hearth.team",
    "hearth.demo",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Serves the API documentation's scripts from our own static files (not a
    # CDN), as the Content-Security-Policy requires.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for pages and the JSON API: below WhiteNoise (which serves static
    # files precompressed) and above everything that writes a response body.
    "hearth.core.middleware.CompressionMiddleware",
    # Below WhiteNoise, so static files keep their caching: CSP,
    # Permissions-Policy and no-store on everything the application answers.
    "hearth.core.security_headers.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's session list, except for a page's background refresh.
    "hearth.accounts.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "hearth.core.middleware.RequestContextMiddleware",
    # Every refused request audited once (hearth.core.refusals): inside the
    # request context (address, request id), outside the MFA policy's refusals.
    "hearth.core.refusals.RefusalAuditMiddleware",
    "hearth.accounts.middleware.UserLanguageMiddleware",
    "hearth.accounts.middleware.IdleSessionTimeoutMiddleware",
    "hearth.accounts.middleware.RequireStaffMfaMiddleware",
]

ROOT_URLCONF = "hearth.urls"
WSGI_APPLICATION = "hearth.wsgi.application"

# Every form renders through one renderer: a required field's label carries
# the same visible marker everywhere (hearth/core/forms_rendering.py).
FORM_RENDERER = "hearth.core.forms_rendering.HearthFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hearth" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Dates in the reader's language with its grammar everywhere: this
            # library's ``date`` filter replaces Django's (hearth.core.dates).
            "builtins": [
                "hearth.core.templatetags.hearth_dates",
                "hearth.core.templatetags.hearth_words",
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hearth.core.context_processors.service",
                # The staff menu's count of open alerts (drawn only by base.html).
                "hearth.monitoring.context_processors.alert_badge",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# One DATABASE_URL. The embedded default is SQLite in WAL mode with IMMEDIATE
# transactions, so concurrent writers queue instead of failing half-way.
VAR_DIR = Path(env_str("HEARTH_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hearth.sqlite3'}") or ""
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
# --- Database outage and timeouts (docs/deployment.md, "Database outage") ---
# A stalled database must not hang a request: connecting gives up after
# DB_CONNECT_TIMEOUT_SECONDS, and PostgreSQL cancels one statement after
# DB_STATEMENT_TIMEOUT_SECONDS (0: no limit). Management commands (the worker,
# migrate) do long, legitimate work, so they get their own, longer limit.
# SQLite has no server to wait for, only a lock held by another writer: it
# waits SQLITE_BUSY_TIMEOUT_SECONDS for it. While the database cannot be
# reached, pages and the API answer 503 and ask to retry after
# HEARTH_OUTAGE_RETRY_AFTER_SECONDS.
DB_CONNECT_TIMEOUT_SECONDS = env_int("DB_CONNECT_TIMEOUT_SECONDS", 5)
_RUNS_A_COMMAND = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] != ["runserver"]
DB_STATEMENT_TIMEOUT_SECONDS = (
    env_int("DB_COMMAND_STATEMENT_TIMEOUT_SECONDS", 600)
    if _RUNS_A_COMMAND
    else env_int("DB_STATEMENT_TIMEOUT_SECONDS", 30)
)
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20)
HEARTH_OUTAGE_RETRY_AFTER_SECONDS = env_int("HEARTH_OUTAGE_RETRY_AFTER_SECONDS", 30)
for _variable, _seconds in (
    ("DB_CONNECT_TIMEOUT_SECONDS", DB_CONNECT_TIMEOUT_SECONDS),
    ("DB_STATEMENT_TIMEOUT_SECONDS", DB_STATEMENT_TIMEOUT_SECONDS),
    ("SQLITE_BUSY_TIMEOUT_SECONDS", SQLITE_BUSY_TIMEOUT_SECONDS),
    ("HEARTH_OUTAGE_RETRY_AFTER_SECONDS", HEARTH_OUTAGE_RETRY_AFTER_SECONDS),
):
    if _seconds < 0:
        raise ImproperlyConfigured(f"{_variable} must be 0 or more seconds, not {_seconds!r}.")

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("HEARTH_TEST_SQLITE_NAME", None)}
else:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if DB_CONNECT_TIMEOUT_SECONDS:
        _options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT_SECONDS)
    if DB_STATEMENT_TIMEOUT_SECONDS:
        _options["options"] = (
            f"{_options.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT_SECONDS}s"
        ).strip()
    if PRODUCTION:
        DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if PRODUCTION
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hearth_cache",
    }
}

# --- Authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12 if PRODUCTION else 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# The sign-in policy (hearth.accounts.adapters) plus mail that fails quietly:
# a failing mail server never makes "reset my password" a server error.
ACCOUNT_ADAPTER = "hearth.accounts.adapters.HearthAccountAdapter"
# "Signed in as Tatiana Smirnova", not as the username "family.smirnova".
ACCOUNT_USER_DISPLAY = "hearth.accounts.adapters.user_display"
# Password reset answers the same for every address and writes only to
# addresses with an account (nobody signs up, so there is nothing to offer
# the others; allauth's enumeration prevention stays on).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# --- Sign-in security (issue 18; docs/deployment.md, "Sign-in security") ------
# The client address behind reverse proxies: how many proxies in front of
# Hearth append to X-Forwarded-For. 0 (the default) trusts no header and uses
# REMOTE_ADDR. Used by the audit trail and the sign-in throttle alike.
HEARTH_TRUSTED_PROXY_COUNT = env_int("HEARTH_TRUSTED_PROXY_COUNT", 0)
# Failed sign-ins (wrong password or two-factor code) are counted per account
# *and* address, and per address; an account is never locked from everywhere.
# After the free failures the next attempt waits FIRST_WAIT seconds, then twice
# as long after each further failure, up to LONGEST_WAIT (hearth/accounts/throttle.py).
HEARTH_SIGN_IN_FREE_FAILURES = env_int("HEARTH_SIGN_IN_FREE_FAILURES", 5)
HEARTH_SIGN_IN_ADDRESS_FREE_FAILURES = env_int("HEARTH_SIGN_IN_ADDRESS_FREE_FAILURES", 20)
HEARTH_SIGN_IN_FIRST_WAIT_SECONDS = env_int("HEARTH_SIGN_IN_FIRST_WAIT_SECONDS", 60)
HEARTH_SIGN_IN_LONGEST_WAIT_SECONDS = env_int("HEARTH_SIGN_IN_LONGEST_WAIT_SECONDS", 60 * 60)
HEARTH_SIGN_IN_FORGET_AFTER_SECONDS = env_int("HEARTH_SIGN_IN_FORGET_AFTER_SECONDS", 24 * 60 * 60)
for _variable, _value in (
    ("HEARTH_TRUSTED_PROXY_COUNT", HEARTH_TRUSTED_PROXY_COUNT + 1),
    ("HEARTH_SIGN_IN_FREE_FAILURES", HEARTH_SIGN_IN_FREE_FAILURES),
    ("HEARTH_SIGN_IN_ADDRESS_FREE_FAILURES", HEARTH_SIGN_IN_ADDRESS_FREE_FAILURES),
    ("HEARTH_SIGN_IN_FIRST_WAIT_SECONDS", HEARTH_SIGN_IN_FIRST_WAIT_SECONDS),
    ("HEARTH_SIGN_IN_LONGEST_WAIT_SECONDS", HEARTH_SIGN_IN_LONGEST_WAIT_SECONDS),
    ("HEARTH_SIGN_IN_FORGET_AFTER_SECONDS", HEARTH_SIGN_IN_FORGET_AFTER_SECONDS),
):
    if _value < 1:
        raise ImproperlyConfigured(f"{_variable} is out of range: see docs/deployment.md.")
# allauth's own failed-login limit locks a username from anywhere: off, the
# throttle above replaces it (also for two-factor codes, through MFA_FORMS).
ACCOUNT_RATE_LIMITS = {"login_failed": None, "login": "60/m/ip"}
MFA_FORMS = {
    "authenticate": "hearth.accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "hearth.accounts.forms.MfaReauthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("HEARTH_SERVICE_NAME", "Hearth")
USERSESSIONS_TRACK_ACTIVITY = True

# Staff sign in on shared tablets in patients' homes: an idle staff session ends
# after 15 minutes by default. Family and patient portal sessions last longer
# because they are on the family's own phone.
HEARTH_STAFF_IDLE_MINUTES = env_int("HEARTH_STAFF_IDLE_MINUTES", 15)
HEARTH_PORTAL_IDLE_MINUTES = env_int("HEARTH_PORTAL_IDLE_MINUTES", 12 * 60)
# A signed-in person's activity (the idle clock above, allauth's "last seen"
# in the list of sessions, the session's own expiry) is written at most once
# in this many seconds: otherwise every page view costs two UPDATEs on the
# busiest rows of the database. The idle sign-out may then come up to this
# much early, never late, which is the safe side on a shared tablet.
HEARTH_SESSION_ACTIVITY_SECONDS = env_int("HEARTH_SESSION_ACTIVITY_SECONDS", 60)
# The administrator can switch this on or off in the service settings page;
# this is only the default for a new installation (on in production).
HEARTH_REQUIRE_STAFF_MFA_DEFAULT = env_bool("HEARTH_REQUIRE_STAFF_MFA", PRODUCTION)
# Break-the-glass access lasts this long before it must be requested again.
HEARTH_EMERGENCY_ACCESS_HOURS = env_int("HEARTH_EMERGENCY_ACCESS_HOURS", 4)
# Medical commission: docs/clinical-reference.md, "at least two physicians, one chairing".
HEARTH_COMMISSION_MIN_PHYSICIANS = env_int("HEARTH_COMMISSION_MIN_PHYSICIANS", 2)

# Hours in which the service visits homes, local wall-clock time. A service
# choice, not a clinical rule; the care-plan check fits visits inside it.
HEARTH_VISITING_HOURS = (
    env_str("HEARTH_VISITING_HOURS_START", "08:00"),
    env_str("HEARTH_VISITING_HOURS_END", "20:00"),
)

# Which food contents each dietary practice rules out, for the care-plan
# conflict check. Source: the common reading of halal (no pork, no alcohol,
# meat slaughtered halal) and kashrut (no pork or shellfish, kosher meat, meat
# and milk apart); vegetarian and vegan by definition; "religious fasting"
# flags feeds given in daylight. Not a clinical rule: the service's dietitian
# and chaplain should review it. Change it here for a service with other needs.
HEARTH_DIET_CONFLICTS: dict[str, list[str]] = {
    "halal": ["pork", "non_halal_meat", "alcohol"],
    "kosher": ["pork", "shellfish", "non_kosher_meat", "meat_with_dairy"],
    "vegetarian": [
        "pork",
        "beef",
        "other_meat",
        "non_halal_meat",
        "non_kosher_meat",
        "meat_with_dairy",
        "fish",
        "shellfish",
    ],
    "vegan": [
        "pork",
        "beef",
        "other_meat",
        "non_halal_meat",
        "non_kosher_meat",
        "meat_with_dairy",
        "fish",
        "shellfish",
        "egg",
        "dairy",
        "lactose",
    ],
    "no_pork": ["pork"],
    "no_beef": ["beef"],
    "no_alcohol": ["alcohol"],
    "religious_fasting": ["daytime_feed"],
    "gluten_free": ["gluten"],
    "lactose_free": ["lactose", "dairy"],
}
# --- Symptoms, alerts and escalation ----------------------------------------
# Personal thresholds start from these (docs/clinical-reference.md, "Escalation and triage":
# an ESAS item >= 7, or a rise of >= 3 points since the previous check-in;
# *verify* with the clinical lead). A physician changes them per patient.
HEARTH_ESAS_ITEM_THRESHOLD = env_int("HEARTH_ESAS_ITEM_THRESHOLD", 7)
HEARTH_ESAS_RISE_THRESHOLD = env_int("HEARTH_ESAS_RISE_THRESHOLD", 3)
# Caregiver strain counted as high at or above these totals. Zarit-12 >= 17 is
# "commonly used" (Bedard 2001; docs/clinical-reference.md says *verify*).
# docs/clinical-reference.md gives no cut-off for the Modified Caregiver Strain
# Index, so it is off (None) until the service's clinical lead chooses one.
HEARTH_CAREGIVER_STRAIN_HIGH: dict[str, int | None] = {
    "zarit12": env_int("HEARTH_ZARIT12_HIGH", 17),
    "mcsi": env_int("HEARTH_MCSI_HIGH", 0) or None,
}
# The licensed Zarit-12 wording, for a service that holds a licence: a JSON file
# {"item_1": "...", ...}. Without it the items show as numbers.
_zarit_file = env_str("HEARTH_ZARIT12_WORDING_FILE", "")
HEARTH_ZARIT12_WORDING: dict[str, str] = (
    json.loads(Path(_zarit_file).read_text(encoding="utf-8")) if _zarit_file else {}
)
# Distress Thermometer: a score at or above this is clinically significant
# distress (NCCN Distress Management guideline: 4; CLINICAL.md "More instruments").
HEARTH_DISTRESS_THERMOMETER_CUT_OFF = env_int("HEARTH_DISTRESS_THERMOMETER_CUT_OFF", 4)
# RASS-PAL: the team's target range in palliative sedation, shown as guidance; a
# score outside it is marked (CLINICAL.md: "usually -2 to 0").
HEARTH_RASS_PAL_TARGET_LOW = env_int("HEARTH_RASS_PAL_TARGET_LOW", -2)
HEARTH_RASS_PAL_TARGET_HIGH = env_int("HEARTH_RASS_PAL_TARGET_HIGH", 0)
# Severity of the alert each rule raises. docs/clinical-reference.md names the triggers but
# not their severity, except NEWS2 (its bands map to low/medium/high) and the
# "we need help now" button (high, at once, by the issue). A service choice:
# the clinical lead should review it.
HEARTH_ALERT_SEVERITY: dict[str, str] = {
    "help_requested": "high",
    "esas_severe": "medium",
    "esas_rise": "medium",
    "caregiver_strain": "medium",
    "caregiver_cannot_cope": "medium",
    "oxygen_equipment": "high",
    # Faults and failed safety checks on other home equipment (a mattress, a
    # feeding pump): the team should act the same day, not at once. Oxygen
    # faults and failed oxygen checks use "oxygen_equipment" above.
    "equipment_fault": "medium",
    "equipment_safety_check": "medium",
    # Three or more breakthrough doses in 24 h: a prompt for the physician to
    # review the regular dose, not an emergency.
    "breakthrough_doses": "medium",
    # NEWS2 bands have their own severity and deadline: HEARTH_NEWS2_RESPONSE below.
}
# Minutes to acknowledge an alert before it escalates, by severity.
# docs/clinical-reference.md defaults (*verify*): high 15 min, medium 2 h, low next working day.
HEARTH_ACKNOWLEDGE_MINUTES: dict[str, int | None] = {
    "high": env_int("HEARTH_ACK_HIGH_MINUTES", 15),
    "medium": env_int("HEARTH_ACK_MEDIUM_MINUTES", 120),
    "low": None,  # None = the start of the next working day
}
# A deadline of 0 or less would escalate an alert the moment it is raised, and
# used to be read as "next working day": refuse it at start-up instead.
for _severity, _variable in (
    ("high", "HEARTH_ACK_HIGH_MINUTES"),
    ("medium", "HEARTH_ACK_MEDIUM_MINUTES"),
):
    if (HEARTH_ACKNOWLEDGE_MINUTES[_severity] or 0) <= 0:
        raise ImproperlyConfigured(
            f"{_variable} must be a number of minutes greater than 0 "
            f"(the time to acknowledge a {_severity} alert), not "
            f"{HEARTH_ACKNOWLEDGE_MINUTES[_severity]!r}."
        )
HEARTH_WORKING_DAY_START = env_str("HEARTH_WORKING_DAY_START", "09:00") or "09:00"
# The response to each NEWS2 band: the alert's severity and its own minutes to
# acknowledge (used for every step up the chain too), so a physiological alert
# never waits for "the next working day" as other low alerts do. Source: the
# Royal College of Physicians NEWS2 chart (2017), as mapped to Hearth's
# severities in CLINICAL.md / docs/clinical-reference.md "NEWS2" (defaults, *verify*):
#   aggregate 1-4: a nurse assessment the same day: low, never later than 12 h;
#   a single parameter scoring 3: the nurse tells the medical team at once and
#     observations become at least hourly: medium (never low), the medium deadline;
#   5-6: urgent response: medium, within 1 h;
#   7 or more: emergency response: high, 15 min.
# A comfort check (comfort-focused care or the terminal phase) is low with the
# aggregate 1-4 deadline: it too never waits over a weekend.
HEARTH_NEWS2_RESPONSE: dict[str, dict[str, Any]] = {
    "low": {"severity": "low", "minutes": env_int("HEARTH_NEWS2_LOW_ACK_MINUTES", 720)},
    "low_medium": {
        "severity": "medium",
        "minutes": env_int(
            "HEARTH_NEWS2_SINGLE_3_ACK_MINUTES", HEARTH_ACKNOWLEDGE_MINUTES["medium"] or 120
        ),
    },
    "medium": {"severity": "medium", "minutes": env_int("HEARTH_NEWS2_MEDIUM_ACK_MINUTES", 60)},
    "high": {"severity": "high", "minutes": env_int("HEARTH_NEWS2_HIGH_ACK_MINUTES", 15)},
}
if HEARTH_NEWS2_RESPONSE["low_medium"]["severity"] == "low":
    raise ImproperlyConfigured(
        "HEARTH_NEWS2_RESPONSE: a single NEWS2 parameter scoring 3 must raise a medium or "
        "high alert, never a low one (docs/clinical-reference.md, NEWS2)."
    )
# Refused at start-up, like HEARTH_ACK_*: a deadline of 0 or less (the alert
# would escalate the moment it is raised), a low deadline over 12 hours or an
# urgent-response deadline over 1 hour (the source's upper limits).
for _band, _variable, _most in (
    ("low", "HEARTH_NEWS2_LOW_ACK_MINUTES", 12 * 60),
    ("low_medium", "HEARTH_NEWS2_SINGLE_3_ACK_MINUTES", None),
    ("medium", "HEARTH_NEWS2_MEDIUM_ACK_MINUTES", 60),
    ("high", "HEARTH_NEWS2_HIGH_ACK_MINUTES", None),
):
    _minutes = HEARTH_NEWS2_RESPONSE[_band]["minutes"]
    if _minutes <= 0:
        raise ImproperlyConfigured(
            f"{_variable} must be a number of minutes greater than 0 "
            f"(the time to acknowledge a NEWS2 alert), not {_minutes!r}."
        )
    if _most is not None and _minutes > _most:
        raise ImproperlyConfigured(
            f"{_variable} must be at most {_most} minutes (the NEWS2 response "
            f"in docs/clinical-reference.md), not {_minutes!r}."
        )
# NEWS2 from home readings uses the latest value of each parameter from this
# many minutes before the newest reading.
HEARTH_NEWS2_WINDOW_MINUTES = env_int("HEARTH_NEWS2_WINDOW_MINUTES", 60)
# Entering these phases of illness (PCOC definitions, docs/clinical-reference.md:
# unstable = an urgent change in the plan is needed; terminal = death likely
# within days) asks the patient's lead physician and key nurse to review the
# care plan (issue 19; a service choice, *verify*). Comma-separated; empty = none.
HEARTH_CARE_PLAN_REVIEW_PHASES: tuple[str, ...] = tuple(
    part.strip()
    for part in (env_str("HEARTH_CARE_PLAN_REVIEW_PHASES", "terminal,unstable") or "").split(",")
    if part.strip()
)
if set(HEARTH_CARE_PLAN_REVIEW_PHASES) - {"terminal", "unstable"}:
    raise ImproperlyConfigured(
        "HEARTH_CARE_PLAN_REVIEW_PHASES may name only terminal and unstable, not "
        f"{', '.join(sorted(set(HEARTH_CARE_PLAN_REVIEW_PHASES) - {'terminal', 'unstable'}))}."
    )
# A device batch may carry at most this many readings.
HEARTH_OBSERVATION_BATCH_LIMIT = 1000
# Home-reading charts (issue 21): a device may read every minute, 10,000
# readings a week, more than a 320 px chart can show or a phone should load.
# The database sums them into one value per hour (the average, with the
# lowest and highest as a band) for periods up to HEARTH_READINGS_HOURLY_DAYS,
# and one per day for longer ones, up to HEARTH_READINGS_LONGEST_DAYS: at most
# 7 × 24 = 168 or 90 values per chart, whatever the device's rate. The
# symptom page shows HEARTH_READINGS_CHART_DAYS (a week: a change in the last
# few days, hour by hour, is what a nurse looks for). Hours and days are
# those of the service's time zone (TIME_ZONE).
HEARTH_READINGS_CHART_DAYS = env_int("HEARTH_READINGS_CHART_DAYS", 7)
HEARTH_READINGS_HOURLY_DAYS = env_int("HEARTH_READINGS_HOURLY_DAYS", 7)
HEARTH_READINGS_LONGEST_DAYS = env_int("HEARTH_READINGS_LONGEST_DAYS", 90)

# --- Dates and times the API accepts (issue 18, fuzzing) ---
# Every date, date-time and reading time sent to the API must fall in these
# years (inclusive); anything else is a 422 naming the field, so a year-1 or
# year-9999 value never reaches date arithmetic (which would overflow).
HEARTH_EARLIEST_YEAR = env_int("HEARTH_EARLIEST_YEAR", 1900)
HEARTH_LATEST_YEAR = env_int("HEARTH_LATEST_YEAR", 2200)
if not 1 < HEARTH_EARLIEST_YEAR <= HEARTH_LATEST_YEAR < 9999:
    raise ImproperlyConfigured(
        "HEARTH_EARLIEST_YEAR and HEARTH_LATEST_YEAR must satisfy "
        f"1 < earliest <= latest < 9999, not {HEARTH_EARLIEST_YEAR}..{HEARTH_LATEST_YEAR}."
    )

# --- Medicines (docs/clinical-reference.md, "Medicines"; every default is *verify*) ---
# Breakthrough (as-needed) opioid dose as a fraction of the 24 h regular opioid
# dose; the service picks its guideline: UK 1/6; US NCCN 10-20 %; Australian
# eTG 1/12 to 1/6.
HEARTH_BREAKTHROUGH_FRACTIONS: dict[str, tuple[str, str]] = {
    "uk": ("1/6", "1/6"),
    "nccn": ("1/10", "1/5"),
    "etg": ("1/12", "1/6"),
}
HEARTH_BREAKTHROUGH_GUIDELINE = env_str("HEARTH_BREAKTHROUGH_GUIDELINE", "uk") or "uk"
if HEARTH_BREAKTHROUGH_GUIDELINE not in HEARTH_BREAKTHROUGH_FRACTIONS:
    raise ImproperlyConfigured("HEARTH_BREAKTHROUGH_GUIDELINE must be uk, nccn or etg")
# A breakthrough dose "may be repeated after 1 hour": the suggested minimum
# interval when a physician writes an as-needed opioid order.
HEARTH_BREAKTHROUGH_INTERVAL_MINUTES = env_int("HEARTH_BREAKTHROUGH_INTERVAL_MINUTES", 60)
# Three or more breakthrough doses in a rolling 24 h prompt the physician to
# review the regular dose (an alert).
HEARTH_BREAKTHROUGH_REVIEW_COUNT = env_int("HEARTH_BREAKTHROUGH_REVIEW_COUNT", 3)
# Conversion factors that follow another route's factor of the same drug:
# {drug: {route: (route it follows, multiplier)}}. CLINICAL.md, "Medicines":
# hydromorphone SC = 2 x the chosen oral factor (15 with the UK's 7.5, 10 with
# Canada's 5; NHS conversion charts pair oral 7.5 with SC 15). A factor that
# does not follow the oral choice overstates the SC dose by half. The formulary
# service keeps the follower in step and refuses a follower typed by hand.
HEARTH_LINKED_OME_FACTORS: dict[str, dict[str, tuple[str, str]]] = {
    "Hydromorphone": {"subcutaneous": ("oral", "2")},
}
# Switching opioids: the calculated equivalent is reduced by 25-50 % for
# incomplete cross-tolerance (EAPC; UK about a third). Shown, never applied.
HEARTH_OPIOID_SWITCH_REDUCTION_PERCENT = (25, 50)
# Titration steps of 30-50 % of the 24 h dose (shown to the physician).
HEARTH_OPIOID_TITRATION_PERCENT = (30, 50)
# Allergies at prescribing (shared/CLINICAL.md "Allergies and intolerances",
# issue 19; *verify*): a drug matching a *confirmed* allergy whose reaction
# has one of these severities is refused with no override; any other match
# needs the physician's reason.
HEARTH_ALLERGY_REFUSE_SEVERITIES = tuple(
    env_list("HEARTH_ALLERGY_REFUSE_SEVERITIES", ["severe", "anaphylaxis"])
)
_unknown_severities = set(HEARTH_ALLERGY_REFUSE_SEVERITIES) - {
    "mild",
    "moderate",
    "severe",
    "anaphylaxis",
}
if _unknown_severities:
    raise ImproperlyConfigured(
        "HEARTH_ALLERGY_REFUSE_SEVERITIES: unknown severities "
        + ", ".join(sorted(_unknown_severities))
    )
# A local policy, not from docs/clinical-reference.md: how long before its scheduled time a
# regular dose may be recorded as given (stops tomorrow's slot being used
# today), and how far back a live (not offline) record may be dated.
HEARTH_SCHEDULED_DOSE_EARLY_MINUTES = env_int("HEARTH_SCHEDULED_DOSE_EARLY_MINUTES", 60)
HEARTH_ADMINISTRATION_BACKDATE_HOURS = env_int("HEARTH_ADMINISTRATION_BACKDATE_HOURS", 12)
# An offline phone may sync doses given up to this many days ago.
HEARTH_OFFLINE_SYNC_DAYS = env_int("HEARTH_OFFLINE_SYNC_DAYS", 7)
# --- Prescribing safety (shared/CLINICAL.md "Medicines"; defaults, *verify*) ---
# Dose-range and large-change checks: the physician confirms with a reason.
# A new dose or a change that raises the 24 h opioid total (OME) by more than
# this percentage (CLINICAL.md "Dose-range and large-change checks").
HEARTH_OPIOID_LARGE_CHANGE_PERCENT = env_int("HEARTH_OPIOID_LARGE_CHANGE_PERCENT", 50)
# A single as-needed opioid dose above this fraction of the 24 h regular opioid
# total (CLINICAL.md: one third).
HEARTH_AS_NEEDED_MAX_FRACTION_OF_REGULAR = "1/3"
# Opioid-naive: no regular opioid in the last 7 days; a first order above oral
# morphine 5 mg per as-needed dose or 30 mg OME per 24 h regular (NICE CG140:
# start 20-30 mg a day with 5 mg for breakthrough).
HEARTH_OPIOID_NAIVE_DAYS = env_int("HEARTH_OPIOID_NAIVE_DAYS", 7)
HEARTH_OPIOID_NAIVE_AS_NEEDED_OME_MG = env_int("HEARTH_OPIOID_NAIVE_AS_NEEDED_OME_MG", 5)
HEARTH_OPIOID_NAIVE_REGULAR_OME_24H_MG = env_int("HEARTH_OPIOID_NAIVE_REGULAR_OME_24H_MG", 30)
# Duplicate therapy (CLINICAL.md "Duplicate therapy"): a regular order plus an
# as-needed order of the same drug and route is the breakthrough pattern and is
# allowed, except for these drugs (formulary names), where a second order for
# the same indication duplicates a hard daily maximum (paracetamol: at most 4 g
# in 24 h, BNF "Paracetamol", MHRA). A local choice; *verify*.
HEARTH_NO_AS_NEEDED_BESIDE_REGULAR: tuple[str, ...] = ("Paracetamol",)
# Volumes of liquids: rounded to what an oral syringe measures (CLINICAL.md
# "Volumes", *verify*): (below this many ml, round to this step), the last
# step for everything above.
HEARTH_VOLUME_STEPS: tuple[tuple[str, str], ...] = (("1", "0.1"), ("5", "0.25"))
HEARTH_VOLUME_STEP_ABOVE = "0.5"

# --- Background work (docs/deployment.md, "Background work") -----------------
# `manage.py run_worker` (the Procfile's worker, so `make run` starts one) runs
# the django-tasks database queue (the alert timers, urgent-visit insertion)
# and these periodic jobs, every worker all of them: each job is idempotent
# and safe to run in several workers at once. (dotted path, every N seconds);
# a job that cannot be imported is logged as an error each time, never fatal.
HEARTH_PERIODIC_JOBS: list[tuple[str, int]] = [
    # Overdue alerts, from each alert's own deadline: the timer tasks' safety net.
    ("hearth.monitoring.sweep.escalate_overdue", 15),
    # The outbox: pages and family messages due (sending, retries, fall-through).
    ("hearth.notifications.delivery.deliver_due", 1),
    # Pages again to owners who have not acknowledged (HEARTH_PAGE_REPEAT_MINUTES).
    ("hearth.monitoring.paging.repeat_pages", 60),
    # Urgent visits offered to the clinician on call and not accepted in time.
    ("hearth.visits.services.dispatch.pass_on_overdue", 15),
    # Families told the day before a visit.
    ("hearth.visits.family_messages.send_day_before_reminders", 60 * 60),
    # One-time keys older than HEARTH_IDEMPOTENCY_KEEP_HOURS.
    ("hearth.core.idempotency.prune_expired", 60 * 60),
    # Mandatory staff training expiring, expired or missing (in-app reminders).
    ("hearth.team.services.send_training_reminders", 24 * 60 * 60),
    # Finished django-tasks rows older than HEARTH_TASK_RESULTS_KEEP_DAYS.
    ("hearth.core.worker.prune_task_results", 24 * 60 * 60),
]

# --- Audit trail: tamper evidence (docs/deployment.md, "Audit trail") --------
# Every HEARTH_AUDIT_VERIFY_SECONDS the worker walks the audit hash chain
# (hearth.core.audit_chain, as `manage.py verify_audit` does) and logs an ERROR
# on the "hearth.audit" logger at the first broken link, and the chain's head
# (an anchor for `verify_audit --expect`) when it holds. 0 switches it off.
HEARTH_AUDIT_VERIFY_SECONDS = env_int("HEARTH_AUDIT_VERIFY_SECONDS", 24 * 60 * 60)
if HEARTH_AUDIT_VERIFY_SECONDS < 0:
    raise ImproperlyConfigured("HEARTH_AUDIT_VERIFY_SECONDS must be 0 (off) or more seconds.")
if HEARTH_AUDIT_VERIFY_SECONDS:
    HEARTH_PERIODIC_JOBS.append(
        ("hearth.core.audit_chain.verify_periodically", HEARTH_AUDIT_VERIFY_SECONDS)
    )
# A one-time (idempotency) key is kept this many hours after its first use
# (issue 18: 24 h); a retry of the same write later than that is refused as a
# reused key where the record itself keeps its key (check-ins, assessments),
# and taken as a new write otherwise.
HEARTH_IDEMPOTENCY_KEEP_HOURS = env_int("HEARTH_IDEMPOTENCY_KEEP_HOURS", 24)
if HEARTH_IDEMPOTENCY_KEEP_HOURS < 1:
    raise ImproperlyConfigured(
        f"HEARTH_IDEMPOTENCY_KEEP_HOURS must be 1 or more, not {HEARTH_IDEMPOTENCY_KEEP_HOURS!r}."
    )
# Finished background-task rows (successful or failed) are kept this many days.
HEARTH_TASK_RESULTS_KEEP_DAYS = env_int("HEARTH_TASK_RESULTS_KEEP_DAYS", 3)
for _variable, _days in (("HEARTH_TASK_RESULTS_KEEP_DAYS", HEARTH_TASK_RESULTS_KEEP_DAYS),):
    if _days < 1:
        raise ImproperlyConfigured(f"{_variable} must be 1 or more days, not {_days!r}.")

# --- Visit planning ---------------------------------------------------------
# Where the team's base is (shifts start or end there) and how travel is
# estimated. Straight-line distance x road factor / average speed is the
# default; set HEARTH_OSRM_URL to use an OSRM table service instead. Service
# choices, not clinical rules: measure them against real journeys.
HEARTH_SERVICE_BASE = (
    env_float("HEARTH_SERVICE_BASE_LATITUDE", 51.5072),
    env_float("HEARTH_SERVICE_BASE_LONGITUDE", -0.1276),
)
HEARTH_ROAD_FACTOR = env_float("HEARTH_ROAD_FACTOR", 1.3)
HEARTH_AVERAGE_SPEED_KMH = env_float("HEARTH_AVERAGE_SPEED_KMH", 30.0)
HEARTH_OSRM_URL = env_str("HEARTH_OSRM_URL", "")
# How long the planner searches: a whole day, and an urgent re-plan (target < 2 s).
HEARTH_PLANNER_SECONDS = env_float("HEARTH_PLANNER_SECONDS", 5.0)
HEARTH_URGENT_REPLAN_SECONDS = env_float("HEARTH_URGENT_REPLAN_SECONDS", 1.0)
# Urgent response (docs/clinical-reference.md, *verify*; NHS England urgent
# community response standard): a clinician at the home within 2 hours of an
# "urgent physician visit" triage, day or night. Must be positive.
HEARTH_URGENT_RESPONSE_MINUTES = env_int("HEARTH_URGENT_RESPONSE_MINUTES", 120)
# The on-call roster page and the staff home warn the coordinator and the
# clinical lead this many days ahead of a time when a role has nobody on call
# (a weekend without a physician). A service choice.
HEARTH_ON_CALL_GAP_WARNING_DAYS = env_int("HEARTH_ON_CALL_GAP_WARNING_DAYS", 7)
if HEARTH_URGENT_RESPONSE_MINUTES <= 0:
    raise ImproperlyConfigured("HEARTH_URGENT_RESPONSE_MINUTES must be a positive number")
# Preferences, in minutes of travel they are worth: a visit by someone other
# than the preferred carer costs this much extra, and so does one by someone
# who shares no language with the person (continuity of carer and a shared
# language matter in palliative care, but never more than a hard rule).
HEARTH_CONTINUITY_WORTH_MINUTES = env_int("HEARTH_CONTINUITY_WORTH_MINUTES", 20)
HEARTH_SHARED_LANGUAGE_WORTH_MINUTES = env_int("HEARTH_SHARED_LANGUAGE_WORTH_MINUTES", 15)
# In an urgent re-plan, moving a published visit to someone else costs this
# much, so the planner changes as few visits as it can.
HEARTH_REPLAN_KEEP_STAFF_WORTH_MINUTES = env_int("HEARTH_REPLAN_KEEP_STAFF_WORTH_MINUTES", 30)
# A published visit whose start moves by more than this counts as moved, and
# the family is to be told.
HEARTH_REPLAN_MOVED_MINUTES = env_int("HEARTH_REPLAN_MOVED_MINUTES", 15)
# Families see the planned start plus or minus this many minutes, not the minute.
HEARTH_FAMILY_WINDOW_MINUTES = env_int("HEARTH_FAMILY_WINDOW_MINUTES", 60)
# An urgent visit offered to the clinician on call and not accepted within this
# many minutes is offered to the next on the chain: it "escalates like an alert"
# (CLINICAL.md "Urgent response"; the high alert's 15 minutes, *verify*).
HEARTH_DISPATCH_ACCEPT_MINUTES = env_int("HEARTH_DISPATCH_ACCEPT_MINUTES", 15)
# The family is told "expected between" this many minutes either side of the
# on-call clinician's expected arrival.
HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES = env_int("HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES", 15)
for _variable, _minutes in (
    ("HEARTH_DISPATCH_ACCEPT_MINUTES", HEARTH_DISPATCH_ACCEPT_MINUTES),
    ("HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES", HEARTH_DISPATCH_FAMILY_WINDOW_MINUTES),
):
    if _minutes <= 0:
        raise ImproperlyConfigured(f"{_variable} must be a positive number, not {_minutes!r}.")


# --- Patient records ------------------------------------------------------------
# Record numbers the service gives out (patients/record_numbers.py): Python
# format fields {year} and {sequence} (required), e.g. "H-{year}-{sequence:05d}"
# gives H-2026-00001 and starts again each year; "HH-{sequence}" never does.
# A service choice, not a clinical rule.
HEARTH_RECORD_NUMBER_PATTERN = (
    env_str("HEARTH_RECORD_NUMBER_PATTERN", "H-{year}-{sequence:05d}") or "H-{year}-{sequence:05d}"
)
if "{sequence" not in HEARTH_RECORD_NUMBER_PATTERN:
    raise ImproperlyConfigured("HEARTH_RECORD_NUMBER_PATTERN must contain {sequence}.")
# The address search (patients/geocoding.py): a Nominatim-compatible /search
# URL, e.g. "https://nominatim.example.org/search". Empty: no search, the
# referral form asks for coordinates by hand. Nothing is sent unless set.
HEARTH_GEOCODER_URL = env_str("HEARTH_GEOCODER_URL", "") or ""
HEARTH_GEOCODER_TIMEOUT_SECONDS = env_float("HEARTH_GEOCODER_TIMEOUT_SECONDS", 5.0)
# ISO 3166 codes the search is limited to (Nominatim's countrycodes), e.g. GB.
HEARTH_GEOCODER_COUNTRIES = env_list("HEARTH_GEOCODER_COUNTRIES", [])
# Nominatim's usage policy asks every client to name itself.
HEARTH_GEOCODER_USER_AGENT = (
    env_str("HEARTH_GEOCODER_USER_AGENT", "Hearth home palliative care") or "Hearth"
)


# --- Notifications (docs/deployment.md, "Notifications") ----------------------
# E-mail: one URL, e.g. smtp://user:password@mail.example.org:587/?tls=True;
# the default writes mail to the console (nothing leaves the machine).
_email = dj_email_url.parse(env_str("EMAIL_URL", "console:") or "console:")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = bool(_email["EMAIL_USE_TLS"])
EMAIL_USE_SSL = bool(_email["EMAIL_USE_SSL"])
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT") or 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hearth@localhost") or "hearth@localhost"
# SMS: an Apprise URL for the service's SMS gateway, with {to} where the
# recipient's number (E.164) goes, e.g. "twilio://SID:Token@+441234567890/{to}"
# or "json://gateway.example.org/sms?:to={to}". Empty: no SMS channel.
HEARTH_NOTIFY_SMS_URL = env_str("HEARTH_NOTIFY_SMS_URL", "") or ""
# A shared secret the SMS gateway sends with inbound messages (replies such
# as "ACK 4821"), in the X-Hearth-Token header. Empty: inbound SMS refused.
HEARTH_SMS_INBOUND_TOKEN = env_str("HEARTH_SMS_INBOUND_TOKEN", "") or ""
# Web Push (the installed web app): VAPID keys, base64url, and a contact the
# push services may write to. Empty keys: no push channel.
HEARTH_VAPID_PUBLIC_KEY = env_str("HEARTH_VAPID_PUBLIC_KEY", "") or ""
HEARTH_VAPID_PRIVATE_KEY = env_str("HEARTH_VAPID_PRIVATE_KEY", "") or ""
HEARTH_VAPID_SUBJECT = env_str("HEARTH_VAPID_SUBJECT", "mailto:hearth@localhost") or ""
# Phone numbers are accepted from these regions only (ISO 3166 codes): a
# number the service's gateway cannot reach is refused when it is entered.
HEARTH_PHONE_REGIONS = env_list("HEARTH_PHONE_REGIONS", ["GB"])
# A page is sent again every this many minutes until it is acknowledged or
# its deadline passes (service choice, not a clinical rule).
HEARTH_PAGE_REPEAT_MINUTES = env_int("HEARTH_PAGE_REPEAT_MINUTES", 5)
# A failed send is retried this many times on the same channel, after these
# many seconds, before the next channel is tried.
HEARTH_NOTIFY_RETRY_SECONDS = [int(s) for s in env_list("HEARTH_NOTIFY_RETRY_SECONDS", ["5", "20"])]
# How long one attempt may take (a provider that does not answer), and how
# long a worker holds a message it is sending before another may take it.
HEARTH_NOTIFY_TIMEOUT_SECONDS = env_int("HEARTH_NOTIFY_TIMEOUT_SECONDS", 10)
HEARTH_NOTIFY_LEASE_SECONDS = env_int("HEARTH_NOTIFY_LEASE_SECONDS", 60)
# Verification codes: how long one is good for and how many wrong tries end it.
HEARTH_VERIFICATION_CODE_MINUTES = env_int("HEARTH_VERIFICATION_CODE_MINUTES", 15)
HEARTH_VERIFICATION_ATTEMPTS = env_int("HEARTH_VERIFICATION_ATTEMPTS", 5)
# The address links in messages point at (the service as its staff reach it).
HEARTH_PUBLIC_URL = (env_str("HEARTH_PUBLIC_URL", "http://127.0.0.1:8000") or "").rstrip("/")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

HEARTH_SERVICE_NAME = env_str("HEARTH_SERVICE_NAME", "Hearth home palliative care")
HEARTH_SERVICE_PHONE = env_str("HEARTH_SERVICE_PHONE", "+44 20 7946 0000")
# How often an open page refreshes the staff menu's count of open alerts, in
# seconds (one COUNT query each; the refresh writes nothing and does not keep
# an idle session signed in). Not a clinical rule: the alert itself still
# pages whoever is on call; the badge is a reminder on screen.
HEARTH_ALERT_COUNT_REFRESH_SECONDS = env_int("HEARTH_ALERT_COUNT_REFRESH_SECONDS", 60)
# How often the open alerts page refreshes its list, in seconds (the list's
# query each time; a background refresh, so it does not keep an idle session
# alive). Not a clinical rule, as above.
HEARTH_ALERT_LIST_REFRESH_SECONDS = env_int("HEARTH_ALERT_LIST_REFRESH_SECONDS", 15)
if HEARTH_ALERT_LIST_REFRESH_SECONDS < 5:
    raise ImproperlyConfigured(
        "HEARTH_ALERT_LIST_REFRESH_SECONDS is below 5: see docs/deployment.md."
    )
if HEARTH_ALERT_COUNT_REFRESH_SECONDS < 10:
    raise ImproperlyConfigured(
        "HEARTH_ALERT_COUNT_REFRESH_SECONDS is below 10: see docs/deployment.md."
    )

# --- Family, equipment and the team's own support ------------------------------
# A number for relatives who need to talk (support and bereavement line), shown
# on every portal page next to the clinical line above. Empty hides it.
HEARTH_FAMILY_HELPLINE_PHONE = env_str("HEARTH_FAMILY_HELPLINE_PHONE", "+44 20 7946 0111")
HEARTH_FAMILY_HELPLINE_HOURS = env_str("HEARTH_FAMILY_HELPLINE_HOURS", "9:00–21:00")
# How long a carer's skill sign-off stays valid before it is taught again. A
# service choice, not a clinical rule (docs/clinical-reference.md gives none): one year.
HEARTH_SKILL_SIGN_OFF_DAYS = env_int("HEARTH_SKILL_SIGN_OFF_DAYS", 365)
# Caregiver strain is assessed "on a schedule" (issue 7); docs/clinical-reference.md gives no
# interval, so this is a service choice for the clinical lead: every 4 weeks.
HEARTH_CAREGIVER_STRAIN_EVERY_DAYS = env_int("HEARTH_CAREGIVER_STRAIN_EVERY_DAYS", 28)
# Bereavement contacts, in days after the death: 2 weeks, 6 weeks, 6 months and
# 13 months (docs/clinical-reference.md: "bereavement follow-up commonly runs to 13 months").
HEARTH_BEREAVEMENT_CONTACT_DAYS: list[int] = [
    int(day) for day in env_list("HEARTH_BEREAVEMENT_CONTACT_DAYS", ["14", "42", "182", "395"])
]
# --- The end of home care (issue 19): what a death or a discharge closes --------
# Service choices, not clinical rules (CLINICAL.md names none): the clinical lead
# confirms them (docs/clinical-safety.md S31-S34). Each app closes its own things
# from its home_care_ended receiver, in the death's or discharge's transaction.
# Open alerts are closed with the reason ("The person died." / "Discharged: ..."),
# their escalation stops and their pages not yet sent are cancelled.
HEARTH_CARE_END_CLOSE_ALERTS = env_bool("HEARTH_CARE_END_CLOSE_ALERTS", True)
# Alerts about equipment still in the home (oxygen: a fire and safety risk until it
# is collected) stay open and go to the care coordinator, who arranges collection.
HEARTH_CARE_END_EQUIPMENT_ALERT_RULES: list[str] = env_list(
    "HEARTH_CARE_END_EQUIPMENT_ALERT_RULES",
    ["oxygen_equipment", "equipment_fault", "equipment_safety_check"],
)
# Scheduled future visits, waiting urgent requests and urgent dispatches nobody has
# arrived at yet are cancelled; the visit needs end (no more visits are planned).
HEARTH_CARE_END_CANCEL_VISITS = env_bool("HEARTH_CARE_END_CANCEL_VISITS", True)
# What the family hears of cancelled visits. After a discharge: "each" (one
# message per cancelled visit, as a cancellation by hand sends) or "none".
# After a death a list of cancelled visits would be unkind: "one" (a single
# message: no more visits are planned, the team will be in touch) or "none".
HEARTH_CARE_END_FAMILY_AFTER_DISCHARGE = env_str("HEARTH_CARE_END_FAMILY_AFTER_DISCHARGE", "each")
HEARTH_CARE_END_FAMILY_AFTER_DEATH = env_str("HEARTH_CARE_END_FAMILY_AFTER_DEATH", "one")
# Volunteer assignments end with "patient_died" / "patient_discharged" and the
# volunteer is told (no clinical detail); befriending after a death is kept:
# it exists for the family.
HEARTH_CARE_END_END_VOLUNTEER_ASSIGNMENTS = env_bool(
    "HEARTH_CARE_END_END_VOLUNTEER_ASSIGNMENTS", True
)
HEARTH_CARE_END_TELL_VOLUNTEERS = env_bool("HEARTH_CARE_END_TELL_VOLUNTEERS", True)
# Carer support tasks (strain) are cancelled: after a death the bereavement plan
# follows the family; after a discharge the new service takes over. Respite
# (a break from caring for the person) asked for or booked is cancelled.
HEARTH_CARE_END_CARER_SUPPORT_AFTER_DEATH = env_bool(
    "HEARTH_CARE_END_CARER_SUPPORT_AFTER_DEATH", True
)
HEARTH_CARE_END_CARER_SUPPORT_AFTER_DISCHARGE = env_bool(
    "HEARTH_CARE_END_CARER_SUPPORT_AFTER_DISCHARGE", True
)
HEARTH_CARE_END_CANCEL_RESPITE = env_bool("HEARTH_CARE_END_CANCEL_RESPITE", True)
if HEARTH_CARE_END_FAMILY_AFTER_DISCHARGE not in ("each", "none"):
    raise ImproperlyConfigured("HEARTH_CARE_END_FAMILY_AFTER_DISCHARGE must be each or none.")
if HEARTH_CARE_END_FAMILY_AFTER_DEATH not in ("one", "none"):
    raise ImproperlyConfigured("HEARTH_CARE_END_FAMILY_AFTER_DEATH must be one or none.")
# Bereavement risk screening: how many of the screen's factors make the risk
# moderate or high, and factors that make it high on their own. The factors
# are structure; the banding is a service choice, not a validated cut-off.
HEARTH_BEREAVEMENT_RISK_BANDS: dict[str, Any] = {
    "moderate_from": env_int("HEARTH_BEREAVEMENT_MODERATE_FROM", 1),
    "high_from": env_int("HEARTH_BEREAVEMENT_HIGH_FROM", 3),
    "high_if_any": env_list("HEARTH_BEREAVEMENT_HIGH_IF_ANY", []),
}
# A high-risk screen adds a phone call this many days later (a service choice).
HEARTH_BEREAVEMENT_HIGH_RISK_CONTACT_DAYS = env_int("HEARTH_BEREAVEMENT_HIGH_RISK_CONTACT_DAYS", 7)
# A directory entry not checked for this long is flagged "due for review".
HEARTH_DIRECTORY_REVIEW_DAYS = env_int("HEARTH_DIRECTORY_REVIEW_DAYS", 365)
# Equipment whose maintenance falls due within this many days is listed as due soon.
HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS = env_int("HEARTH_EQUIPMENT_MAINTENANCE_WARNING_DAYS", 14)
# Mandatory training that expires within this many days is listed, and its
# holder reminded.
HEARTH_TRAINING_REMINDER_DAYS = env_int("HEARTH_TRAINING_REMINDER_DAYS", 30)
# Staff wellbeing figures are shown to the clinical lead only for groups of at
# least this many people, so no one's answers can be picked out.
HEARTH_WELLBEING_MINIMUM_GROUP = env_int("HEARTH_WELLBEING_MINIMUM_GROUP", 5)

SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

# --- Security headers (docs/deployment.md, "Security headers") ---------------
# Content-Security-Policy, enforced (django-csp): scripts and styles only from
# our own static files, never inline; the one page that positions blocks on a
# timeline (plan the day) writes its positions in a <style> carrying the
# request's nonce. Charts are SVG images (data: URLs), the MFA QR code too.
# HEARTH_CSP_REPORT_URI, when set, asks browsers to report violations there.
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", csp_constants.NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "worker-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if env_str("HEARTH_CSP_REPORT_URI", ""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = env_str("HEARTH_CSP_REPORT_URI")
# Browser features no page of Hearth uses (no camera, microphone or location):
# switched off for every page and anything embedded in it. Web Push is not
# governed by this header. A comma-separated list of `feature=(allowlist)`.
HEARTH_PERMISSIONS_POLICY = env_list(
    "HEARTH_PERMISSIONS_POLICY",
    [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "camera",
            "display-capture",
            "encrypted-media",
            "fullscreen",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "picture-in-picture",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    ],
)
# The interactive API documentation and the OpenAPI document describe every
# endpoint: in production only signed-in staff may read them; elsewhere they
# are open unless this says otherwise.
HEARTH_API_DOCS_PUBLIC = env_bool("HEARTH_API_DOCS_PUBLIC", not PRODUCTION)

# The scale benchmark (bench/scale.py) reads each request's SQL query count
# from a response header (hearth/core/query_count.py). Off unless asked for,
# and refused in production: it tells anyone which requests cost the most.
HEARTH_QUERY_COUNT_HEADER = env_bool("HEARTH_QUERY_COUNT_HEADER", False)
if HEARTH_QUERY_COUNT_HEADER:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "HEARTH_QUERY_COUNT_HEADER is for benchmarks only and cannot be on in production"
        )
    MIDDLEWARE.insert(0, "hearth.core.query_count.QueryCountHeaderMiddleware")

if HEARTH_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every test client loads the middleware again, and WhiteNoise would scan
    # every static file each time (half of a permission-matrix request): look
    # a file up when it is asked for instead.
    WHITENOISE_AUTOREFRESH = True

# --- Internationalisation -------------------------------------------------
# The service's own language: pages fall back to it, and alert texts (read by
# every clinician on call, whatever the language of the family who wrote) are
# stored in it.
LANGUAGE_CODE = env_str("HEARTH_LANGUAGE", "en") or "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("HEARTH_TIME_ZONE", "Europe/London") or "Europe/London"
USE_TZ = True

# --- Static files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "hearth" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50
# Rows on one page of a list (worklist, alerts, audit trail, directory…) and the
# most one API call may ask for with ?limit= (hearth.core.pagination).
HEARTH_PAGE_SIZE = env_int("HEARTH_PAGE_SIZE", 50)
HEARTH_API_MAX_LIMIT = env_int("HEARTH_API_MAX_LIMIT", 500)
API_TOKEN_DEFAULT_DAYS = env_int("HEARTH_API_TOKEN_DAYS", 90)
API_TOKEN_MAX_LIFETIME = timedelta(days=365)
# Embedded mode serves static files through WhiteNoise straight from the apps,
# so `make run` needs no collectstatic step and DEBUG can stay off.
WHITENOISE_USE_FINDERS = not PRODUCTION
