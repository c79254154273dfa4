"""Storage: SQLAlchemy models, the database handle, and the raw-mail store."""

from bot.store.db import Database

__all__ = ["Database"]
