"""The operator's password: an scrypt hash in one self-describing line.

    scrypt$32768$8$1$<salt, base64>$<key, base64>

``foibot web hash-password`` prints such a line; the web page reads it from the env var,
file or systemd credential named by ``[web] password_hash_*`` (never from config.toml)
and checks a login against it in constant time. The cost parameters travel with the
hash, so a stronger default later still accepts old lines; parameters that would make
one check take too long or too much memory are refused when the line is read.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from bot.config import Config
from bot.errors import ConfigError
from bot.secrets import web_password_hash

SCHEME = "scrypt"
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**15, 8, 1  # about 0.1 s and 32 MiB per check
SALT_BYTES, KEY_BYTES = 16, 32
MAX_MEMORY = 256 * 1024 * 1024  # refuse parameters needing more than this per check
MAX_P = 16
MIN_PASSWORD = 8
HOW_TO_MAKE = "make one with `foibot web hash-password`"
KEYS = "[web] password_hash_env, password_hash_file or password_hash_credential"


@dataclass(frozen=True)
class PasswordHash:
    """A parsed hash line: cost parameters, salt and derived key."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    def matches(self, password: str) -> bool:
        """Whether ``password`` derives the stored key (compared in constant time)."""
        derived = _derive(password, self.salt, self.n, self.r, self.p, len(self.key))
        return hmac.compare_digest(derived, self.key)

    def line(self) -> str:
        salt = base64.b64encode(self.salt).decode("ascii")
        key = base64.b64encode(self.key).decode("ascii")
        return f"{SCHEME}${self.n}${self.r}${self.p}${salt}${key}"


def _memory(n: int, r: int, p: int) -> int:
    return 128 * r * (n + p + 2)


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=_memory(n, r, p) + 1024 * 1024,
        dklen=length,
    )


def hash_password(
    password: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P
) -> str:
    """A new hash line for ``password`` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    return PasswordHash(n, r, p, salt, _derive(password, salt, n, r, p, KEY_BYTES)).line()


def parse_hash(text: str) -> PasswordHash:
    """The hash in ``text``; ValueError saying what is wrong with it."""
    parts = text.strip().split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise ValueError(f"expected {SCHEME}$N$r$p$SALT$HASH")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, key = (base64.b64decode(x, validate=True) for x in parts[4:6])
    except (ValueError, binascii.Error) as err:
        raise ValueError(f"expected {SCHEME}$N$r$p$SALT$HASH with base64 salt and hash") from err
    if n < 2 or n & (n - 1) or r < 1 or not 1 <= p <= MAX_P:
        raise ValueError("N must be a power of two above 1, r at least 1, p 1-16")
    if _memory(n, r, p) > MAX_MEMORY:
        raise ValueError(f"N={n}, r={r} would need more than {MAX_MEMORY >> 20} MiB per login")
    if len(salt) < 8 or len(key) < 16:
        raise ValueError("the salt or the hash is too short")
    return PasswordHash(n, r, p, salt, key)


def load_password_hash(config: Config) -> PasswordHash:
    """The configured hash; ConfigError naming the keys and the fix when it is missing or bad."""
    text = web_password_hash(config)  # SecretError (a ConfigError) when unreadable
    if text is None:
        raise ConfigError(
            [
                f"web: no password hash is configured; set {KEYS} "
                f"(never the hash itself in config.toml); {HOW_TO_MAKE}"
            ],
            str(config.source),
        )
    try:
        return parse_hash(text)
    except ValueError as err:
        raise ConfigError(
            [f"web: the configured password hash is not usable ({err}); {HOW_TO_MAKE}"],
            str(config.source),
        ) from err
