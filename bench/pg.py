"""A throwaway PostgreSQL server for benchmarks (the pgserver package: no system install)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

_names = itertools.count(1)


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server for the length of the block; yields its base URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    folder.chmod(0o755)  # run as root, the server runs as its own user and must reach it
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server_url: str) -> str:
    """A fresh empty database on the server; returns its URL."""
    import asyncpg

    name = f"bench_{next(_names)}"

    async def create() -> None:
        admin = await asyncpg.connect(server_url)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()

    asyncio.run(create())
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
