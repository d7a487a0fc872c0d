"""The web process's gunicorn worker: gthread, except that a request is read in full by the
worker's event loop before a thread is given to it (gunicorn.conf.py selects it).

gunicorn's gthread worker hands a connection to a thread as soon as its first byte arrives, and
the thread then blocks until the request is complete. A client that sends its headers a byte a
second holds that thread for as long as it likes: eight such clients take all of a worker's
threads, and with `reuse_port` the requests the kernel routes to that worker wait behind them
(Twilio gives up after 15 s). Here the bytes are gathered without a thread, on the poller the
worker already runs for kept-alive connections, and a request that is not complete within
REQUEST_READ_TIMEOUT_SECONDS of its first wait is answered 408 and closed. A slow client costs
a file descriptor and a buffer; `worker_connections` bounds those.
"""

from __future__ import annotations

import contextlib
import selectors
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

from app.config import SettingsError, load_settings
from app.entrypoints.web.request_buffer import Arrival, arrival

# A request larger than this (headers and body) is answered 413 here: the app's limit on
# bodies is 64 KiB, and Twilio's requests are far smaller.
BUFFER_LIMIT = 128 * 1024
READ_SIZE = 64 * 1024
DEFAULT_READ_TIMEOUT = 10.0
REQUEST_TIMEOUT_ANSWER = (
    b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 16\r\n\r\nrequest timeout\n"
)
TOO_LARGE_ANSWER = (
    b"HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Type: text/plain\r\n"
    b"Content-Length: 18\r\n\r\nrequest too large\n"
)
CONTINUE_ANSWER = b"HTTP/1.1 100 Continue\r\n\r\n"


class BufferedConnection:
    """What is known of a connection while its request arrives."""

    def __init__(self, conn: TConn, deadline: float) -> None:
        self.conn = conn
        self.deadline = deadline
        self.data = bytearray()
        self.continued = False


class BufferedThreadWorker(ThreadWorker):  # type: ignore[misc]
    """gthread with requests read on the event loop (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_timeout = _read_timeout()
        self.arriving: dict[int, BufferedConnection] = {}

    def reads_ahead(self) -> bool:
        """TLS bytes cannot be read ahead of the handshake, nor an HTTP/2 preface ahead of
        gunicorn's sniffing for it: those connections keep gthread's own path."""
        return not self.cfg.is_ssl and self.cfg.http2_cleartext not in ("prior-knowledge", "both")

    def accept(self, listener: Any) -> None:
        if not self.reads_ahead():
            super().accept(listener)
            return
        try:
            client_sock, client_addr = listener.accept()
        except (BlockingIOError, ConnectionAbortedError):
            return
        self.nr_conns += 1
        self.wait_for_request(TConn(self.cfg, client_sock, client_addr, listener.getsockname()))

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        """A kept-alive connection's next request is arriving: read it like a new one's."""
        if not self.reads_ahead():
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self.wait_for_request(conn)

    def wait_for_request(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        waiting = BufferedConnection(conn, time.monotonic() + self.read_timeout)
        self.arriving[conn.sock.fileno()] = waiting
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_request_bytes, waiting))

    def on_request_bytes(self, waiting: BufferedConnection, client: Any) -> None:
        try:
            chunk = client.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away before its request was complete
            self.drop(waiting)
            return
        waiting.data += chunk
        try:
            state = arrival(bytes(waiting.data), BUFFER_LIMIT)
        except Exception:  # a request this code misreads must not take the worker down
            self.log.exception("could not tell whether a request is complete; handing it to the parser")
            state = Arrival.COMPLETE
        if state is Arrival.TOO_LARGE:
            _send_quietly(client, TOO_LARGE_ANSWER)
            self.drop(waiting)
            return
        if state is Arrival.CONTINUE and not waiting.continued:
            # The client sends its body only after this; gunicorn's own "100 Continue" then
            # follows as a second informational answer, which HTTP clients accept.
            waiting.continued = True
            _send_quietly(client, CONTINUE_ANSWER)
        if state is Arrival.COMPLETE:
            self.forget(waiting)
            waiting.conn.buffered = bytes(waiting.data)
            waiting.conn.data_ready = True
            self.enqueue_req(waiting.conn)

    def handle(self, conn: TConn) -> Any:
        """In the thread: the parser reads the request from the bytes already gathered."""
        buffered = getattr(conn, "buffered", b"")
        if buffered:
            conn.buffered = b""
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(buffered)
        return super().handle(conn)

    def murder_pending(self) -> None:
        """Also close the requests that did not arrive in time (called every loop turn)."""
        super().murder_pending()
        now = time.monotonic()
        for waiting in [w for w in self.arriving.values() if w.deadline <= now]:
            _send_quietly(waiting.conn.sock, REQUEST_TIMEOUT_ANSWER)
            self.drop(waiting)

    def forget(self, waiting: BufferedConnection) -> None:
        self.arriving.pop(waiting.conn.sock.fileno(), None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(waiting.conn.sock)

    def drop(self, waiting: BufferedConnection) -> None:
        self.forget(waiting)
        self.nr_conns -= 1
        waiting.conn.close()


def _send_quietly(sock: Any, data: bytes) -> None:
    """Best effort on a non-blocking socket: a client that reads nothing gets nothing."""
    with contextlib.suppress(OSError):
        sock.send(data)


def _read_timeout() -> float:
    try:
        return load_settings().request_read_timeout_seconds
    except SettingsError:
        return DEFAULT_READ_TIMEOUT  # the app factory reports the invalid setting when it starts
