"""The operational store: SQLAlchemy 2 models, sessions and Alembic migrations.

Data functions here take a session and never commit: the pathway layer owns
transactions, so two data functions can share one.
"""

from smartmoves.data.store.db import connect, transaction, upgrade
from smartmoves.data.store.models import Base

__all__ = ["Base", "connect", "transaction", "upgrade"]
