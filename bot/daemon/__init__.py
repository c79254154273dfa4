"""`foibot run`, the daemon (edge): an APScheduler 3 scheduler with fixed jobs.

    code = Daemon(config_path, config, initialise, say=print).run()

Modules: ``runner`` (the daemon's life), ``lifecycle`` (standby, catching up,
reloading), ``schedule`` (job ids and triggers from the config), ``jobs`` (what each
job does), ``watcher`` (waits for new mail: IMAP IDLE, Maildir checks), ``instance``
(one active daemon per database), ``watchdog`` (systemd), ``record`` (what the daemon
tells `foibot status` through the ``meta`` table), ``status`` / ``statustext``
(`foibot status`), ``activity`` (per-message and per-draft log lines).
docs/daemon.md describes it for operators.
"""

from bot.daemon.runner import Daemon
from bot.daemon.schedule import JOB_IDS

__all__ = ["JOB_IDS", "Daemon"]
