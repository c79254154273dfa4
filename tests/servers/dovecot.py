"""A real Dovecot IMAP server in a temp dir, for tests and benchmarks.

Follows the verified recipe in ../shared/design/test-servers.md: no systemd, a
passwd-file of users, a self-signed certificate made by openssl, two free ports on
127.0.0.1 (plain with STARTTLS, and implicit TLS). The INBOX namespace marks ``Sent``
with SPECIAL-USE ``\\Sent`` and creates it automatically. Beyond the recipe: no
auth-failure delay and no anvil auth penalty, so wrong-password tests stay fast.

    with Dovecot() as server:
        server.append("INBOX", b"Subject: hi\\r\\n\\r\\nbody\\r\\n")
        ...

``stop()`` and ``start()`` restart the server on the same ports (reconnect tests);
``new_user()`` gives each test its own empty mailbox. If Dovecot is not installed the
server fails with a message saying how to install it; it never skips.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

from imapclient import IMAPClient

DOVECOT = "/usr/sbin/dovecot"
DOVECONF = "/usr/bin/doveconf"
INSTALL_HINT = (
    "Dovecot is not installed ({missing}): `make test` installs it "
    "(apt-get install -y dovecot-imapd)"
)
HOST = "127.0.0.1"
DEFAULT_USER = "alice"
DEFAULT_PASSWORD = "secret"
POOL_SIZE = 400  # users made at start: Dovecot notices later passwd-file edits slowly

_CONFIG = """\
instance_name = test-dovecot-{plain_port}
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = {host}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_dh = </usr/share/dovecot/dh.pem
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login xoauth2 oauthbearer
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
  default_fields = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = create
  }}
}}
service imap-login {{
  inet_listener imap {{
    port = {plain_port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
{login_chroot}}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
{anvil_chroot}}}
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _require_dovecot() -> None:
    for binary in (DOVECOT, DOVECONF, "openssl"):
        if shutil.which(binary) is None:
            raise RuntimeError(INSTALL_HINT.format(missing=f"{binary} not found"))


class Dovecot:
    """One Dovecot instance; a context manager that starts it and cleans up."""

    def __init__(self, root: Path | None = None) -> None:
        _require_dovecot()
        self._own_root = root is None
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-")) if root is None else root
        self.host = HOST
        self.plain_port = free_port()
        self.tls_port = free_port()
        self.user = DEFAULT_USER
        self.password = DEFAULT_PASSWORD
        self.cert_path = self.root / "cert.pem"
        self.config_path = self.root / "dovecot.conf"
        self.log_path = self.root / "dovecot.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._users: dict[str, str] = {}
        self._pool = iter(range(1, POOL_SIZE + 1))
        self._prepare()

    # -- lifecycle -------------------------------------------------------------------

    def _prepare(self) -> None:
        root = self.root
        for sub in ("run", "state", "home"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        root.chmod(0o755)  # the mail user (nobody) must traverse to home/
        if os.geteuid() == 0:
            uid, gid = 65534, 65534  # Dovecot refuses to store mail as uid 0
            os.chown(root / "home", uid, gid)
            login_user, internal_user = "dovenull", "dovecot"
            login_chroot = anvil_chroot = ""
        else:
            uid, gid = os.getuid(), os.getgid()
            login_user = internal_user = pwd.getpwuid(uid).pw_name
            login_chroot = anvil_chroot = "  chroot =\n"
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                str(root / "key.pem"),
                "-out",
                str(self.cert_path),
            ],
            check=True,
            capture_output=True,
        )
        self._users = {f"user{i:04d}": DEFAULT_PASSWORD for i in range(1, POOL_SIZE + 1)}
        self.add_user(self.user, self.password)
        self.config_path.write_text(
            _CONFIG.format(
                root=root,
                host=self.host,
                plain_port=self.plain_port,
                tls_port=self.tls_port,
                uid=uid,
                gid=gid,
                login_user=login_user,
                internal_user=internal_user,
                login_chroot=login_chroot,
                anvil_chroot=anvil_chroot,
            ),
            encoding="utf-8",
        )
        check = subprocess.run(
            [DOVECONF, "-c", str(self.config_path), "-n"], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise RuntimeError(f"doveconf rejected {self.config_path}: {check.stderr}")

    def start(self, timeout: float = 10.0) -> None:
        """Start Dovecot (again) on the same ports and wait until both accept."""
        if self._process is not None and self._process.poll() is None:
            return
        self._process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends every child
        )
        deadline = time.monotonic() + timeout
        for port in (self.plain_port, self.tls_port):
            while True:
                if self._process.poll() is not None:
                    raise RuntimeError(f"dovecot exited at start:\n{self.log_tail()}")
                try:
                    socket.create_connection((self.host, port), timeout=0.5).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        self.stop()
                        raise RuntimeError(
                            f"dovecot did not listen on {port} in {timeout} s:\n{self.log_tail()}"
                        ) from None
                    time.sleep(0.02)

    def stop(self) -> None:
        """Stop Dovecot and all its children (SIGTERM, SIGKILL after 1 s).

        Every client connection is dropped: killing only the master would leave the
        imap processes serving old connections.
        """
        process, self._process = self._process, None
        if process is None:
            return
        group = process.pid  # start_new_session made it the group leader
        _signal_group(group, signal.SIGTERM)
        deadline = time.monotonic() + 1.0
        while _group_alive(group) and time.monotonic() < deadline:
            process.poll()
            time.sleep(0.01)
        if _group_alive(group):
            _signal_group(group, signal.SIGKILL)
            while _group_alive(group) and time.monotonic() < deadline + 5:
                process.poll()
                time.sleep(0.01)
        process.wait(timeout=5.0)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        self.stop()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- users and TLS -----------------------------------------------------------------

    def new_user(self) -> str:
        """A user nobody has used yet (empty mailbox), password ``self.password``."""
        try:
            return f"user{next(self._pool):04d}"
        except StopIteration:
            raise RuntimeError(f"all {POOL_SIZE} pooled test users are used") from None

    def add_user(self, user: str, password: str = DEFAULT_PASSWORD) -> str:
        """Add a user to the passwd-file.

        Dovecot re-reads the file only after a few seconds; prefer ``new_user()``.
        """
        self._users[user] = password
        lines = "".join(f"{name}:{{PLAIN}}{pw}::::::\n" for name, pw in self._users.items())
        tmp = self.root / "users.tmp"
        tmp.write_text(lines, encoding="utf-8")
        tmp.chmod(0o644)
        tmp.replace(self.root / "users")
        return user

    def foibot_config(self, root: Path, user: str, password_env: str, timeout: int = 10) -> Path:
        """Write a foibot config.toml in ``root`` that reads ``user``'s mail over implicit TLS.

        The password comes from the environment variable ``password_env``; the
        database and raw store live in ``root``.
        """
        root.mkdir(parents=True, exist_ok=True)
        path = root / "config.toml"
        path.write_text(
            f"""
[requester]
name = "Research Team"
email = "research@example.ac.uk"
[mailbox]
kind = "imap"
host = "{self.host}"
port = {self.tls_port}
tls = "implicit"
ca_file = "{self.cert_path}"
username = "{user}"
password_env = "{password_env}"
timeout_seconds = {timeout}
[database]
url = "sqlite:///{root}/foibot.sqlite3"
raw_dir = "{root}/raw"
""",
            encoding="utf-8",
        )
        return path

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts this server's self-signed certificate."""
        return ssl.create_default_context(cafile=str(self.cert_path))

    # -- mailbox operations (as a normal IMAP client over the plain port) ---------------

    @contextlib.contextmanager
    def client(self, user: str | None = None) -> Iterator[IMAPClient]:
        """A logged-in IMAPClient on the plain port (for test setup, not under test)."""
        user = user or self.user
        imap = IMAPClient(self.host, self.plain_port, ssl=False, timeout=30)
        try:
            imap.login(user, self._users[user])
            yield imap
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    def append(
        self,
        folder: str,
        raw: bytes,
        flags: Sequence[str | bytes] = (),
        date: dt.datetime | None = None,
        user: str | None = None,
    ) -> int:
        """APPEND one message; returns its UID."""
        with self.client(user) as imap:
            response = imap.append(folder, raw, flags=flags, msg_time=date)
        return _appended_uids(response)[-1]

    def multiappend(
        self, folder: str, raws: Iterable[bytes], user: str | None = None, chunk: int = 500
    ) -> list[int]:
        """APPEND many messages with MULTIAPPEND, ``chunk`` per command; returns UIDs."""
        uids: list[int] = []
        batch: list[bytes] = []
        with self.client(user) as imap:
            for raw in raws:
                batch.append(raw)
                if len(batch) >= chunk:
                    uids += _appended_uids(imap.multiappend(folder, batch))
                    batch = []
            if batch:
                uids += _appended_uids(imap.multiappend(folder, batch))
        return uids

    def create_folder(self, folder: str, user: str | None = None) -> None:
        with self.client(user) as imap:
            imap.create_folder(folder)

    def delete_folder(self, folder: str, user: str | None = None) -> None:
        with self.client(user) as imap:
            imap.delete_folder(folder)

    def flags(self, folder: str, user: str | None = None) -> dict[int, tuple[bytes, ...]]:
        """UID → flags of every message in ``folder`` (read-only EXAMINE)."""
        with self.client(user) as imap:
            imap.select_folder(folder, readonly=True)
            uids = imap.search(["ALL"])
            fetched = imap.fetch(uids, ["FLAGS"]) if uids else {}
        return {int(uid): tuple(data[b"FLAGS"]) for uid, data in fetched.items()}

    def uidvalidity(self, folder: str, user: str | None = None) -> int:
        with self.client(user) as imap:
            return int(imap.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])


def _signal_group(group: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, sig)


def _group_alive(group: int) -> bool:
    """Does any process of ``group`` still run? Zombies do not count: in a container
    nobody may reap the orphaned children of a killed master."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            return True
    return False


def _appended_uids(response: object) -> list[int]:
    """UIDs from an APPENDUID response code: ``[APPENDUID 17 3:5] ...``."""
    text = response.decode() if isinstance(response, bytes) else str(response)
    if "APPENDUID" not in text:
        return []
    spec = text.split("APPENDUID", 1)[1].split("]", 1)[0].split()[1]
    uids: list[int] = []
    for part in spec.split(","):
        low, _, high = part.partition(":")
        uids += range(int(low), int(high or low) + 1)
    return uids
