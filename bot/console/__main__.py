"""`python -m bot.console` (make console): serve the counsellor console with uvicorn."""
from __future__ import annotations

import uvicorn

from bot.console.app import create_app
from bot.db.session import migrate
from bot.logging_setup import configure_logging
from bot.settings import get_settings


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    migrate(settings.database_url)
    uvicorn.run(create_app(settings), host=settings.console_host, port=settings.console_port,
                log_level=settings.log_level.lower(), access_log=False)


if __name__ == "__main__":
    main()
