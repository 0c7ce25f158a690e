"""One settings object, read from the environment (and an optional `.env` file)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # Storage
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'wegweiser.db'}"
    data_retention_days: int = 90
    # Secret for pseudonymous user keys (HMAC of the Telegram user id). Change it in production.
    user_key_secret: str = "change-me-in-production"

    # Rasa. With start_services (default) `make run` starts its own Rasa + action server; set it to
    # false to use already running ones at rasa_url (docker-compose, tests).
    start_services: bool = True
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout_seconds: float = 10.0
    action_server_port: int = 5055
    model_dir: Path = PROJECT_ROOT / "models"
    # Tracker/lock stores for the Rasa server started by `make run`/`make triage`.
    rasa_tracker_db_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'rasa_tracker.db'}"
    rasa_lock_store_url: str = ""  # e.g. redis://127.0.0.1:6379/1 ; empty = in-memory

    # Telegram
    telegram_bot_token: str = ""
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str = ""  # set to serve a webhook instead of polling
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: str = ""

    # Machine translation (off unless an operator configures it explicitly)
    translator_provider: str = Field("none", pattern="^(none|libre|google|deepl)$")
    libretranslate_url: str = "http://127.0.0.1:5000/"
    translator_api_key: str = ""

    # Human handoff (issue 6). Staff supergroups (with forum topics) per organisation id of the directory,
    # and the Telegram user ids of registered counsellors per organisation, both as JSON in the environment:
    # STAFF_GROUPS='{"fi-by": -1001234}'  STAFF_COUNSELLORS='{"fi-by": [111, 222]}'
    staff_groups: dict[str, int] = {}
    staff_counsellors: dict[str, list[int]] = {}
    staff_language: str = "de"            # the counsellors' language; messages are translated to/from it
    office_days: str = "0,1,2,3,4"        # weekdays (0 = Monday) with office hours
    office_open: str = "09:00"
    office_close: str = "17:00"
    office_timezone: str = "Europe/Berlin"
    handoff_reply_hours: int = 24         # expected reply time, told to the user before consent
    # Counsellor web console
    console_secret_key: str = "change-me-console-secret"
    console_host: str = "127.0.0.1"
    console_port: int = 8080
    console_max_failed_logins: int = 5
    console_lockout_minutes: int = 15

    log_level: str = "INFO"


@lru_cache
def get_settings() -> Settings:
    return Settings()
