"""A connection check for the queue's psycopg pool that costs no round trip when the server
has said nothing.

procrastinate checks every connection it takes from its pool with an empty query: two
round trips per job (fetch and finish) that find nothing wrong under load. A server that
crashes or restarts closes its sockets, and one that shuts down sends an error first, so a
connection whose socket is quiet is as alive as the empty query would say; only a socket
with something to read (end of file, an error, a notification) gets the empty query.
"""

from __future__ import annotations

import select
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool


def socket_has_news(connection: AsyncConnection[Any]) -> bool:
    """Whether the server has written to this idle connection (or closed it)."""
    poller = select.poll()
    poller.register(connection.pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


async def check_quiet_connection(connection: AsyncConnection[Any]) -> None:
    """Raise when the connection is unusable, like the pool's own check; the empty query is
    sent only when the socket is not quiet (or the driver already knows it is broken)."""
    if connection.closed or connection.broken or socket_has_news(connection):
        await AsyncConnectionPool.check_connection(connection)


def pool_with_quiet_check(**pool_args: Any) -> AsyncConnectionPool[Any]:
    """procrastinate's pool factory: its arguments, with the quiet check in place of the empty query."""
    return AsyncConnectionPool(**{**pool_args, "check": check_quiet_connection})
