"""`python -m bot.console` (make console): serve the counsellor console with uvicorn."""
from __future__ import annotations

import uvicorn

from bot.console.app import create_app
from bot.db.session import migrate
from bot.logging_setup import configure_logging
from bot.settings import Settings, get_settings


DEFAULT_SECRET = Settings.model_fields["console_secret_key"].default
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def unsafe_configuration(settings: Settings) -> str | None:
    """The default cookie secret is fine on a developer's loopback port, never where others can connect."""
    if settings.console_host in LOOPBACK:
        return None
    if settings.console_secret_key == DEFAULT_SECRET or len(settings.console_secret_key) < 32:
        return ("CONSOLE_SECRET_KEY must be a random value of at least 32 characters before the console listens "
                f"on {settings.console_host} (e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')")
    return None


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    problem = unsafe_configuration(settings)
    if problem:
        raise SystemExit(f"console: {problem}")
    migrate(settings.database_url)
    uvicorn.run(create_app(settings), host=settings.console_host, port=settings.console_port,
                log_level=settings.log_level.lower(), access_log=False)


if __name__ == "__main__":
    main()
