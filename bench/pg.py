"""A throwaway PostgreSQL server for benchmarks (the pgserver package: no system install)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

_names = itertools.count(1)

# A server sized for a million subscribers rather than initdb's defaults (shared_buffers
# 128MB, meant to start anywhere): shared_buffers a quarter of an 8 GB machine's RAM, the
# PostgreSQL manual's starting point for a dedicated server, so the store's ~1 GB of tables
# and indexes stays in the server's cache as it would in production. Nothing else changes:
# fsync, synchronous_commit and full_page_writes stay on, work_mem and the planner's costs
# stay at their defaults.
SIZED = {"shared_buffers": "2GB"}


@contextlib.contextmanager
def postgres_server(settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """Start a server for the length of the block, with `settings` (postgresql.conf names)
    if given; yields its base URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgserver
    folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    folder.chmod(0o755)  # run as root, the server runs as its own user and must reach it
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        if settings:
            _configure(server, folder, settings)
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


def _configure(server: Any, folder: Path, settings: Mapping[str, str]) -> None:
    """ALTER SYSTEM, then a restart (shared_buffers takes effect only at start); the restart
    keeps the options pgserver started the server with (postmaster.opts)."""
    import asyncpg
    from pgserver._commands import pg_ctl

    async def alter() -> None:
        conn = await asyncpg.connect(server.get_uri())
        try:
            for name, value in settings.items():
                await conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        finally:
            await conn.close()

    asyncio.run(alter())
    pg_ctl(["-w", "-l", str(server.log), "restart"], pgdata=folder, user=server.system_user,
           timeout=60)


def server_settings(server_url: str, names: list[str]) -> dict[str, str]:
    """The running server's values, for a bench to print beside its figures."""
    import asyncpg

    async def show() -> dict[str, str]:
        conn = await asyncpg.connect(server_url)
        try:
            return {name: str(await conn.fetchval(f"SHOW {name}")) for name in names}
        finally:
            await conn.close()

    return asyncio.run(show())


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
