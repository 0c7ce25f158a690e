"""Alembic environment: the database URL comes from the app settings (or the caller)."""
from alembic import context

from bot.db.models import Base
from bot.db.session import make_engine, normalise_url
from bot.settings import get_settings

url = context.config.attributes.get("database_url") or normalise_url(get_settings().database_url)

if context.is_offline_mode():
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
