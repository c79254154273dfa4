"""The raw mail store: exact bytes of every message, content-addressed (edge).

A message's bytes are written, compressed, to ``raw_dir/ab/<sha256>.eml.gz``
before its database row is committed, so whatever the database says exists can
always be re-parsed. Writes go to a temp file in ``raw_dir/.tmp`` (named after the
writing process) that is made durable, then renamed into place (``os.replace``), then
the rename is made durable: a file under its final name always holds complete bytes,
and a crash never leaves a half-written one there. ``remove_stale_temp`` deletes the
temp files of processes that died. Writing the same bytes twice is a no-op.

``put_many`` stores a whole fetched batch with two durability barriers in all (one
for the data, one for the renames) instead of one ``fsync`` per file: on Linux each
barrier is a single ``syncfs`` of the store's filesystem; elsewhere every file and
directory is synced one by one.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gzip
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.errors import StoreError

COMPRESS_LEVEL = 1  # fast; mail compresses well even at level 1
TEMP_DIR = ".tmp"


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _load_syncfs() -> Callable[[int], int] | None:
    """libc's ``syncfs(fd)`` (Linux): flush one filesystem. None when not available."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        func: Callable[[int], int] = libc.syncfs
    except (OSError, AttributeError):
        return None
    return func


_SYNCFS = _load_syncfs()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


class RawStore:
    def __init__(self, root: Path, fsync: bool = True) -> None:
        self.root = root
        self.fsync = fsync
        self._base = os.fspath(root)
        self._dirs: set[str] = set()  # directories known to exist

    def path_for(self, sha: str) -> Path:
        """Where the message with this hash is (or will be) kept."""
        legacy = self._legacy_path(sha)
        if not os.path.exists(self._final(sha)) and os.path.exists(legacy):
            return Path(legacy)
        return self.root / sha[:2] / f"{sha}.eml.gz"

    def _legacy_path(self, sha: str) -> str:
        """The layout of early development versions (two directory levels), still read."""
        return f"{self._base}/{sha[:2]}/{sha[2:4]}/{sha}.eml.gz"

    def _final(self, sha: str) -> str:
        return f"{self._base}/{sha[:2]}/{sha}.eml.gz"

    def _has(self, sha: str) -> bool:
        return os.path.exists(self._final(sha)) or os.path.exists(self._legacy_path(sha))

    def put(self, raw: bytes) -> str:
        """Store ``raw`` durably; return its SHA-256. Idempotent."""
        return self.put_many([raw])[0]

    def put_many(self, raws: Sequence[bytes]) -> list[str]:
        """Store every message durably; their SHA-256s, in order. Idempotent.

        All bytes are on disk under their final names when this returns (it raises
        StoreError otherwise), so the caller may then commit rows that refer to them.
        """
        shas = [sha256_of(raw) for raw in raws]
        todo: dict[str, bytes] = {}
        for sha, raw in zip(shas, raws, strict=True):
            if sha not in todo and not self._has(sha):
                todo[sha] = raw
        if not todo:
            return shas
        temp_dir = f"{self._base}/{TEMP_DIR}"
        pid = os.getpid()
        temps = [(f"{temp_dir}/{pid}-{sha}.eml.gz", self._final(sha)) for sha in todo]
        try:
            self._ensure_dir(temp_dir)
            try:
                for (tmp, final), raw in zip(temps, todo.values(), strict=True):
                    self._ensure_dir(os.path.dirname(final))
                    self._write(tmp, gzip.compress(raw, COMPRESS_LEVEL, mtime=0))
                self._barrier([tmp for tmp, _ in temps], data=True)
                for tmp, final in temps:
                    os.replace(tmp, final)
                self._barrier([os.path.dirname(final) for _, final in temps], data=False)
            except BaseException:
                for tmp, _ in temps:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(tmp)
                raise
        except OSError as err:
            where = err.filename or self._base
            raise StoreError(f"cannot write raw mail to {where}: {err.strerror}") from err
        return shas

    def remove_stale_temp(self) -> int:
        """Delete temp files left by writers that no longer run; how many were deleted."""
        temp_dir = self.root / TEMP_DIR
        try:
            names = os.listdir(temp_dir)
        except FileNotFoundError:
            return 0
        except OSError as err:
            raise StoreError(f"cannot list {temp_dir}: {err.strerror}") from err
        removed = 0
        for name in names:
            pid = name.split("-", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                (temp_dir / name).unlink(missing_ok=True)
                removed += 1
        return removed

    def _ensure_dir(self, path: str) -> None:
        if path not in self._dirs:
            os.makedirs(path, exist_ok=True)
            self._dirs.add(path)

    def _write(self, path: str, data: bytes) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if self.fsync and _SYNCFS is None:
                os.fdatasync(fd)
        finally:
            os.close(fd)

    def _barrier(self, paths: list[str], data: bool) -> None:
        """Make the writes (``data``) or the renames in ``paths`` durable."""
        if not self.fsync:
            return
        if _SYNCFS is not None:
            fd = os.open(self._base, os.O_RDONLY)
            try:
                if _SYNCFS(fd) != 0:
                    errno = ctypes.get_errno()
                    raise OSError(errno, os.strerror(errno), self._base)
            finally:
                os.close(fd)
            return
        if data:
            return  # each file was synced as it was written
        for directory in dict.fromkeys(paths):
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def get(self, sha: str) -> bytes:
        try:
            try:
                data = Path(self._final(sha)).read_bytes()
            except FileNotFoundError:
                data = Path(self._legacy_path(sha)).read_bytes()
            raw = gzip.decompress(data)
        except OSError as err:
            raise StoreError(f"raw message {sha} is missing or unreadable: {err}") from err
        if sha256_of(raw) != sha:
            raise StoreError(f"raw message {sha} is corrupt (hash mismatch)")
        return raw
