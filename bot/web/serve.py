"""Serving the web page with waitress, a production WSGI server (threads, no reloader).

``serve`` refuses to start without a usable password hash (before opening anything),
or on a database that ``foibot init`` has not brought up to date. It binds the
configured address, 127.0.0.1 unless told otherwise; on SIGTERM or Ctrl-C it stops
accepting, finishes the requests in hand and returns.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import waitress
from flask import Flask

from bot.config import Config
from bot.store import Database
from bot.web.app import create_app
from bot.web.passwords import load_password_hash

log = logging.getLogger(__name__)

THREADS = 4  # waitress worker threads: plenty for one operator's browser tabs


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def make_server(app: Flask, host: str, port: int, threads: int = THREADS) -> Any:
    """A bound, not yet running waitress server (``port=0``: any free port)."""
    return waitress.create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="foibot",
        clear_untrusted_proxy_headers=True,
    )


def stop_server(server: Any, timeout: float = 10.0) -> None:
    """Stop a server running in another thread: its loop closes every socket (so it ends),
    then the worker threads finish the requests in hand."""
    closed = threading.Event()

    def close_all() -> None:  # runs in the server's own loop thread (waitress's trigger)
        try:
            for channel in list(server._map.values()):
                if channel is not server and channel is not server.trigger:
                    try:
                        channel.handle_close()  # a client connection
                    except Exception:
                        log.exception("web: closing a connection at shutdown failed")
                        server._map.pop(channel.fileno(), None)
            server.close()  # the listening socket and the trigger: the loop's map is empty
        finally:
            closed.set()

    try:
        server.trigger.pull_trigger(close_all)
    except OSError:  # the trigger is gone, so is the loop: close from here
        close_all()
    if not closed.wait(timeout):  # the loop is not running: close from here
        close_all()
    server.task_dispatcher.shutdown()


def serve(config: Config, host: str, port: int, announce: Callable[[str], None] = print) -> None:
    """Serve until SIGTERM or Ctrl-C (the ``foibot web`` command)."""
    password = load_password_hash(config)  # ConfigError naming the keys when missing
    db = Database(config.database_url)
    try:
        db.require_current()
        app = create_app(config, db, password)
        server = make_server(app, host, port)
        if not is_loopback(host) and not (config.web.base_url or "").startswith("https://"):
            log.warning(
                "web: listening on %s without an https base_url: put it behind an HTTPS "
                "proxy, or the password and session cookie cross the network in clear",
                host,
            )
        bound = getattr(server, "effective_port", port)
        announce(f"foibot web: serving on http://{host}:{bound}/ (Ctrl-C stops)")
        _stop_on_sigterm()
        server.run()
    finally:
        db.dispose()


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd stop) ends the server like Ctrl-C: waitress then shuts down cleanly."""
    if threading.current_thread() is not threading.main_thread():
        return

    def stop(signum: int, frame: object) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
