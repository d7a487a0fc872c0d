"""gunicorn settings, read by gunicorn from the working directory (or `-c gunicorn.conf.py`).

gunicorn's own lines (workers booting, timeouts, crashes) use the app's logging: the same
format with UTC timestamps, LOG_LEVEL, and phone numbers masked (app.infrastructure.log_setup).
gunicorn applies `logconfig_dict` in the master at start and on every reload, and the
workers inherit it when they fork. Binding, workers and threads stay in the Procfile.

`reuse_port`: each worker listens on its own socket (SO_REUSEPORT), and the kernel (Linux)
spreads new connections over them by address hash. With one shared socket, whichever worker wakes
first accepts, and clients that keep their connection alive (a proxy, Twilio's senders, a
load test) stay where they landed: 34 of 50 connections on one of two workers was common,
and that worker's queue set the latency of all (docs/architecture.md, "What a turn costs").

`worker_class`: gthread, except that each request is read in full on the worker's event loop
before a thread takes it, so slow clients cannot hold the threads (app/entrypoints/web/
gunicorn_worker.py; REQUEST_READ_TIMEOUT_SECONDS). `--threads` in the Procfile sizes its pool.

`control_socket_disable`: gunicorn's control socket (for `gunicornc`) would be one path under
the home directory shared by every master on the machine; nothing here uses it.
"""

from app.config import SettingsError, load_settings
from app.infrastructure.gunicorn_logger import QuietAccessLogger
from app.infrastructure.log_setup import logging_config


def _log_level() -> str:
    try:
        return load_settings().log_level
    except SettingsError:
        # The app factory reports the invalid setting when it starts; the log still works.
        return "INFO"


loglevel = _log_level().lower()
logconfig_dict = logging_config(loglevel)
logger_class = QuietAccessLogger
reuse_port = True
worker_class = "app.entrypoints.web.gunicorn_worker.BufferedThreadWorker"
control_socket_disable = True
