"""Alembic environment: runs migrations on the engine foibot hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine

from bot.store.models import Base

target_metadata = Base.metadata


def run() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        # `alembic` run by hand: sqlalchemy.url from the ini or -x url=...
        url = context.get_x_argument(as_dictionary=True).get(
            "url"
        ) or context.config.get_main_option("sqlalchemy.url")
        assert url, "give -x url=DATABASE_URL"
        engine = create_engine(url)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run()
