"""Schema migrations (Alembic), run by `ingest db upgrade` and before `make run` starts work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


@contextmanager
def _alembic(engine: Engine) -> Iterator[Config]:
    """An Alembic config bound to one transaction on `engine` (env.py reads the connection)."""
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        yield config


def _run(engine: Engine, action: Callable[..., object], *args: object, **kwargs: object) -> None:
    with _alembic(engine) as config:
        action(config, *args, **kwargs)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; safe to run on every start."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def revise(engine: Engine, message: str) -> None:
    """Autogenerate a new migration from the difference between tables.py and the database."""
    _run(engine, command.revision, message=message, autogenerate=True)


def check(engine: Engine) -> None:
    """Raise if tables.py and the migrated database differ (a migration is missing)."""
    _run(engine, command.check)
