"""Load and parse stored raw messages, in worker processes when it pays (edge).

Parsing is pure CPU work (MIME, charsets, PDF text), so a large sync spreads it over
worker processes while the main process keeps fetching and writing to the database:
one worker per CPU but one, since the main process keeps a CPU busy itself (on 2 CPUs
a second worker was 5-15% faster but took the sync over its memory goal; see
bench/RESULTS.md). Small syncs (fewer than ``POOL_MIN`` messages so far) parse
in-process: no worker is started for the usual handful of new messages. Either way
``submit`` returns the chunks in order and each ``Parsed`` says which raw message it is
and, when loading or parsing failed, at which stage and why.

Each parsed message is classified here too (``bot.classify`` needs the Email only), so
that work is spread over the workers as well; the per-message step uses the answer
instead of classifying again.

Workers are forked (Linux) and die with the main process. If a worker crashes, the
pool is abandoned and the rest is parsed in-process. A caller with nothing else to do
while it waits for a chunk takes queued ones over (``PendingParse.take_over``), so its
own CPU parses too.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from bot.classify import Classification, classify
from bot.parse import Email, ParseLimits, parse_email
from bot.rawstore import RawStore

CHUNK = 50  # messages per task sent to a worker
POOL_MIN = 200  # messages parsed in-process before workers are started
MAX_WORKERS = 4  # each costs ~15-40 MB of memory of its own
_CAN_FORK = "fork" in multiprocessing.get_all_start_methods()


@dataclass(frozen=True)
class Parsed:
    """A raw message loaded and parsed: its Email and what ``classify`` makes of it (None
    when classifying failed: the per-message step tries again and quarantines the message
    if it fails there too), or the stage that failed and why."""

    raw_id: int
    email: Email | None
    stage: str = ""
    error: str = ""
    classification: Classification | None = None


def parse_stored(
    raws: RawStore, items: Sequence[tuple[int, str]], limits: ParseLimits
) -> list[Parsed]:
    """Load each (raw id, sha256) from the raw store and parse it. Never raises."""
    out: list[Parsed] = []
    for raw_id, sha in items:
        stage = "load"
        try:
            raw = raws.get(sha)
            stage = "parse"
            email = parse_email(raw, limits)
        except Exception as err:  # recorded with the message, which is quarantined
            detail = "".join(traceback.format_exception_only(err)).strip()
            out.append(Parsed(raw_id, None, stage, detail))
            continue
        out.append(Parsed(raw_id, email, classification=_classified(email)))
    return out


def _classified(email: Email) -> Classification | None:
    try:
        return classify(email)
    except Exception:  # classified again by the per-message step, where it is quarantined
        return None


class PendingParse:
    """One submitted chunk of ``count`` messages: parsed already, or a worker's future."""

    def __init__(self, pool: ParsePool, items: Sequence[tuple[int, str]],
                 future: Future[list[Parsed]] | None = None) -> None:  # fmt: skip
        self.count = len(items)
        self._pool, self._items, self._future = pool, items, future
        self._result = None if future is not None else parse_stored(pool.raws, items, pool.limits)

    def done(self) -> bool:
        return self._result is not None or self._future is None or self._future.done()

    def take_over(self) -> bool:
        """Parse the chunk here instead, if no worker has started on it yet; True if so."""
        if self._result is not None or self._future is None or not self._future.cancel():
            return False
        self._result = parse_stored(self._pool.raws, self._items, self._pool.limits)
        return True

    def result(self) -> list[Parsed]:
        if self._result is None:
            assert self._future is not None
            try:
                self._result = self._future.result()
            except (BrokenProcessPool, CancelledError):  # a worker died (crash, OOM), so
                # the pool was given up and its queued chunks cancelled: do it here instead
                self._pool.abandon()
                self._result = parse_stored(self._pool.raws, self._items, self._pool.limits)
        return self._result


class ParsePool:
    """Parses chunks of raw messages; ``workers``: None = one per CPU but one, 0 = in-process."""

    def __init__(self, raw_root: Path, limits: ParseLimits, workers: int | None = None) -> None:
        self.raws = RawStore(raw_root, fsync=False)
        self.limits = limits
        self._workers = _default_workers() if workers is None else min(workers, MAX_WORKERS)
        self._submitted = 0
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False
        self._frozen = False

    def submit(self, items: Sequence[tuple[int, str]]) -> list[PendingParse]:
        out = []
        for start in range(0, len(items), CHUNK):
            chunk = list(items[start : start + CHUNK])
            executor = self._executor_for(len(chunk))
            future = executor.submit(_parse_in_worker, chunk) if executor else None
            out.append(PendingParse(self, chunk, future))
        return out

    def _executor_for(self, count: int) -> ProcessPoolExecutor | None:
        self._submitted += count
        wanted = self._workers >= 1 and self._submitted > POOL_MIN and not self._broken
        if wanted and self._executor is None and _CAN_FORK:
            self._executor = self._start()
        return self._executor

    def _start(self) -> ProcessPoolExecutor:
        """Fork the workers now, with this process's objects frozen for the collector
        until the pool is closed: neither the workers' garbage collection nor this
        process's touches the inherited objects, so their memory pages stay shared
        instead of being copied into every worker (and back in this process)."""
        executor = ProcessPoolExecutor(
            self._workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init_worker,
            initargs=(self.raws.root, self.limits, os.getpid()),
        )
        gc.freeze()
        self._frozen = True
        executor.submit(int)  # the first task forks every worker
        return executor

    def abandon(self) -> None:
        """Stop using workers (one died); later chunks are parsed in-process."""
        self._broken = True
        self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        if self._frozen:
            gc.unfreeze()  # the objects of before the fork are collected as usual again
            self._frozen = False


def _default_workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return min(cpus - 1, MAX_WORKERS)


_worker_raws: RawStore | None = None
_worker_limits = ParseLimits()


def _init_worker(raw_root: Path, limits: ParseLimits, parent: int) -> None:
    global _worker_raws, _worker_limits
    _worker_raws, _worker_limits = RawStore(raw_root, fsync=False), limits
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1  # die with the main process, even when it is SIGKILLed
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _parse_in_worker(items: list[tuple[int, str]]) -> list[Parsed]:
    assert _worker_raws is not None
    return parse_stored(_worker_raws, items, _worker_limits)
