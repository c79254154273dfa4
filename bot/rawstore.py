"""The raw mail store: exact bytes of every message, content-addressed (edge).

A message's bytes are written, compressed, to ``raw_dir/ab/cd/<sha256>.eml.gz``
before its database row is committed, so whatever the database says exists can
always be re-parsed. Writes go to a temp file then ``os.replace``: a crash never
leaves a half-written file under a final name. Writing the same bytes twice is a
no-op.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

from bot.errors import StoreError

COMPRESS_LEVEL = 1  # fast; mail compresses well even at level 1


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


class RawStore:
    def __init__(self, root: Path, fsync: bool = True) -> None:
        self.root = root
        self.fsync = fsync

    def path_for(self, sha: str) -> Path:
        return self.root / sha[:2] / sha[2:4] / f"{sha}.eml.gz"

    def put(self, raw: bytes) -> str:
        """Store ``raw`` durably; return its SHA-256. Idempotent."""
        sha = sha256_of(raw)
        final = self.path_for(sha)
        if final.exists():
            return sha
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(gzip.compress(raw, COMPRESS_LEVEL, mtime=0))
                    if self.fsync:
                        handle.flush()
                        os.fdatasync(handle.fileno())
                os.replace(tmp, final)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise StoreError(f"cannot write raw mail to {final}: {err.strerror}") from err
        return sha

    def get(self, sha: str) -> bytes:
        path = self.path_for(sha)
        try:
            raw = gzip.decompress(path.read_bytes())
        except OSError as err:
            raise StoreError(f"raw message {sha} is missing or unreadable: {err}") from err
        if sha256_of(raw) != sha:
            raise StoreError(f"raw message {sha} is corrupt (hash mismatch)")
        return raw
