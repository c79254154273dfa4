"""Ingest benchmark: `foibot sync --once` against a local Dovecot, compared with the floor.

    .venv/bin/python bench/ingest.py [--count 10000] [--big 50000] [--no-results]

(a) floor: imapclient ``UID FETCH BODY.PEEK[]`` of all N messages plus stdlib parsing
    (``bench.imap_floor.measure_floor``);
(b) ``foibot sync --once`` from an empty database, as a subprocess (wall time incl.
    start-up; also minus the start-up of ``python -m bot --help``); goal (b)/(a) <= 2.0.
    (a) and (b) are alternated ``--rounds`` times (the machine is shared) and the
    medians compared;
(c) a sync with no new mail at 1,000, N and ``--big`` messages, in-process on a connected
    source (median of repeats); goal <= 50 ms and flat. The CLI no-new-mail sync (process
    start + connect + login) is reported for context;
(d) peak memory of (b): PSS summed over the sync and its parser worker processes,
    sampled from /proc every 50 ms (and the largest single process's peak RSS from
    ``/usr/bin/time -v``); goal <= 150 MB.

The 1,000 case uses a second Dovecot user holding the first 1,000 of the same messages.
The messages from N to ``--big`` are small plain-text ones (to keep appending quick).
With ``--results`` the table replaces the Ingest section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make the repository importable
    sys.path.insert(0, str(REPO))

from bench.imap_floor import FloorResult, load, make_messages, measure_floor  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.mailbox import source_from_config  # noqa: E402
from bot.parse import ParseLimits  # noqa: E402
from bot.pipeline import sync_once  # noqa: E402
from bot.rawstore import RawStore  # noqa: E402
from bot.store import Database  # noqa: E402
from tests.servers.dovecot import Dovecot  # noqa: E402

PASSWORD_ENV = "FOIBOT_BENCH_PW"
TIME_BIN = "/usr/bin/time"
RESULTS = REPO / "bench" / "RESULTS.md"


@dataclass
class CliRun:
    seconds: float
    max_rss_kb: int | None  # of the largest single process (the sync or a parser worker)
    output: str
    cpu_seconds: float | None = None  # user + system of the sync and its parser workers
    tree_pss_kb: int = 0  # peak of the summed PSS of the sync and its workers (sampled)
    tree_rss_kb: int = 0  # peak of the summed RSS (counts pages shared after fork twice)
    processes: int = 1  # most processes seen at once (the sync + parser workers)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += _children(current)
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in kB, from /proc/PID/smaps_rollup; (0, 0) if gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Samples the summed memory of a process and its descendants every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.rss = self.pss = 0
        self.processes = 1

    def run(self) -> None:
        while not self.done.wait(0.05):
            pids = [p for p in _tree(self.pid) if p != self.pid or not Path(TIME_BIN).exists()]
            usage = [_memory_kb(p) for p in pids]
            self.rss = max(self.rss, sum(r for r, _ in usage))
            self.pss = max(self.pss, sum(p for _, p in usage))
            self.processes = max(self.processes, sum(1 for r, _ in usage if r))


def run_cli(config: Path | None, *args: str, password: str = "") -> CliRun:
    """Run ``python -m bot`` (under /usr/bin/time -v when present); wall time and peak RSS."""
    cmd = [sys.executable, "-m", "bot"]
    if config is not None:
        cmd += ["--config", str(config)]
    cmd += list(args)
    timed = Path(TIME_BIN).exists()
    if timed:
        cmd = [TIME_BIN, "-v", *cmd]
    env = {**os.environ, PASSWORD_ENV: password}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    sampler = TreeSampler(proc.pid)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    rss: int | None = None
    cpu: float | None = None
    if timed:
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
        rss = int(match.group(1)) if match else None
        user = re.search(r"User time \(seconds\): ([\d.]+)", stderr)
        system = re.search(r"System time \(seconds\): ([\d.]+)", stderr)
        if user and system:
            cpu = float(user.group(1)) + float(system.group(1))
        stderr = stderr[: stderr.rfind("\tCommand being timed")]
    else:
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # max over children
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{stdout}{stderr}")
    return CliRun(seconds, rss, stdout.strip(), cpu, sampler.pss, sampler.rss,
                  sampler.processes)  # fmt: skip


def startup_seconds(repeats: int = 3) -> float:
    return statistics.median(run_cli(None, "--help").seconds for _ in range(repeats))


def small_plain(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Leeds City Council <foi@leeds.gov.uk>"
    msg["To"] = "Research Team <research@example.ac.uk>"
    msg["Subject"] = f"Automatic reply: FOI acknowledgement ({n})"
    msg["Date"] = format_datetime(dt.datetime(2024, 11, 1, 9, 0, tzinfo=dt.UTC))
    msg["Message-ID"] = f"<ack{n}@leeds.gov.uk>"
    msg.set_content(f"We have received your request. Reference FOI-{3000000 + n}.\n")
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def full_sync_in_process(config_path: Path, password: str, profile: bool) -> str:
    """Sync from empty in-process, under cProfile when ``profile``; the profile text."""
    config = load_config(config_path)
    db = Database(config.database_url)
    source = source_from_config(config.mailbox, password)
    profiler = cProfile.Profile()
    try:
        if profile:
            profiler.enable()
        started = time.perf_counter()
        report = sync_once(db, RawStore(config.database.raw_dir), source, ParseLimits())
        seconds = time.perf_counter() - started
        profiler.disable()
    finally:
        source.close()
        db.dispose()
    print(f"    in-process sync from empty ({report.summary()}): {seconds:.2f} s")
    if not profile:
        return ""
    buf = io.StringIO()
    stats = pstats.Stats(profiler, stream=buf)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)
    return buf.getvalue()


def no_new_mail(config_path: Path, password: str, repeats: int, profile: bool = False) -> dict:
    """In-process: warm-up sync (connects), then ``repeats`` timed no-new-mail syncs."""
    config = load_config(config_path)
    db = Database(config.database_url)
    raws = RawStore(config.database.raw_dir)
    source = source_from_config(config.mailbox, password)
    out: dict = {}
    try:
        warm = sync_once(db, raws, source, ParseLimits())
        assert warm.new == 0, f"expected a synced mailbox, got {warm.summary()}"
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            report = sync_once(db, raws, source, ParseLimits())
            times.append(time.perf_counter() - started)
            assert report.fetched == 0, report.summary()
        out["median"] = statistics.median(times)
        out["min"], out["max"] = min(times), max(times)
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeats):
                sync_once(db, raws, source, ParseLimits())
            profiler.disable()
            buf = io.StringIO()
            pstats.Stats(profiler, stream=buf).sort_stats("cumulative").print_stats(25)
            out["profile"] = buf.getvalue()
    finally:
        source.close()
        db.dispose()
    return out


def replace_section(path: Path, heading: str, text: str) -> None:
    """Put ``text`` in place of the section starting with ``heading`` (up to the next
    ``## ``), or at the end when there is none. Hand-written notes in it are replaced."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith(heading)), None)
    if start is None:
        path.write_text("".join(lines).rstrip("\n") + "\n\n" + text, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))  # fmt: skip
    tail = "".join(lines[end:])
    path.write_text("".join(lines[:start]) + text + ("\n" + tail if tail else ""),
                    encoding="utf-8")  # fmt: skip


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "goal met" if ok else "**goal NOT met**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="alternated runs of (a) and (b)")
    parser.add_argument("--results", action="store_true",
                        help="rewrite the Ingest section of bench/RESULTS.md")  # fmt: skip
    parser.add_argument("--profile", action="store_true", help="cProfile the no-new-mail sync")
    args = parser.parse_args(argv)

    bench_started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="foibot-ingest-"))
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []
    profile_text = ""
    try:
        raws = make_messages(args.count)
        total_mb = sum(map(len, raws)) / 1e6
        with Dovecot() as server:
            password = server.password
            user = server.new_user()
            seconds = load(server, user, raws)
            print(f"append: {len(raws)} messages, {total_mb:.1f} MB in {seconds:.1f} s")

            # (a) and (b)+(d), alternated: the machine is shared, so each is the median
            # of --rounds runs taken close together (the ratio of the medians is reported).
            load_before = os.getloadavg()
            startup = startup_seconds()
            floors: list[FloorResult] = []
            fulls: list[CliRun] = []
            for number in range(1, args.rounds + 1):
                floors.append(measure_floor(server, user))
                print(floors[-1].line(f"(a) floor, round {number}"))
                cfg = server.foibot_config(tmp / f"main{number}", user, PASSWORD_ENV, timeout=60)
                run_cli(cfg, "init", password=password)
                fulls.append(run_cli(cfg, "sync", "--once", password=password))
                last = fulls[-1]
                print(f"(b) sync --once from empty, round {number}: {last.seconds:.2f} s, "
                      f"CPU {last.cpu_seconds or 0:.1f} s, {last.processes} processes "
                      f"({last.output})")  # fmt: skip
            floor_s = statistics.median(f.seconds for f in floors)
            full_s = statistics.median(f.seconds for f in fulls)
            floor = min(floors, key=lambda f: abs(f.seconds - floor_s))  # the median run
            full = min(fulls, key=lambda f: abs(f.seconds - full_s))
            print(f"    start-up (python -m bot --help, median of 3): {startup:.2f} s")
            ratio = full_s / floor_s
            ratio_net = (full_s - startup) / floor_s
            ratios = sorted(b.seconds / a.seconds for a, b in zip(floors, fulls, strict=True))
            rss_mb = max(f.max_rss_kb or 0 for f in fulls) / 1024
            pss_mb = max(f.tree_pss_kb for f in fulls) / 1024
            tree_rss_mb = max(f.tree_rss_kb for f in fulls) / 1024
            print(f"    ratio (b)/(a) = {ratio:.2f} ({ratio_net:.2f} without start-up; "
                  f"per round {', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip
            print(f"(d) peak memory of (b): {pss_mb:.0f} MB PSS summed over its processes "
                  f"(largest process RSS {rss_mb:.0f} MB, summed RSS "
                  f"{tree_rss_mb:.0f} MB)")  # fmt: skip

            # (c) no new mail at --small (second user), --count, --big
            small_user = server.new_user()
            load(server, small_user, raws[: args.small])
            small_cfg = server.foibot_config(tmp / "small", small_user, PASSWORD_ENV, timeout=60)
            run_cli(small_cfg, "init", password=password)
            full_profile = full_sync_in_process(small_cfg, password, profile=args.profile)
            idle: dict[int, tuple[dict, float]] = {}
            for size, config in ((args.small, small_cfg), (args.count, cfg)):
                res = no_new_mail(config, password, args.repeats,
                                  profile=args.profile and size == args.count)  # fmt: skip
                cli = run_cli(config, "sync", "--once", password=password).seconds
                idle[size] = (res, cli)
                profile_text = profile_text or res.get("profile", "")
                print(f"(c) no new mail at {size}: {ms(res['median'])} median "
                      f"(CLI sync --once {cli:.2f} s)")  # fmt: skip
            extra = [small_plain(n) for n in range(args.count, args.big)]
            seconds = load(server, user, extra)
            print(f"append: {len(extra)} small plain messages in {seconds:.1f} s")
            big_sync = run_cli(cfg, "sync", "--once", password=password)
            print(f"    sync --once of those: {big_sync.seconds:.1f} s ({big_sync.output})")
            res = no_new_mail(cfg, password, args.repeats)
            cli = run_cli(cfg, "sync", "--once", password=password).seconds
            idle[args.big] = (res, cli)
            print(f"(c) no new mail at {args.big}: {ms(res['median'])} median "
                  f"(CLI sync --once {cli:.2f} s)")  # fmt: skip
            notes.append(f"{len(extra):,} small plain messages appended for the {args.big:,} "
                         f"case took {big_sync.seconds:.1f} s to sync with `sync --once` "
                         f"(RSS {(big_sync.max_rss_kb or 0) / 1024:.0f} MB).")  # fmt: skip
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    medians = [idle[s][0]["median"] for s in sorted(idle)]
    flat = max(medians) <= 2 * min(medians) + 0.005
    idle_ok = max(medians) <= 0.050 and flat
    rows.append(("N", f"{args.count:,} messages, {total_mb:.1f} MB (1/3 plain, 1/3 "
                 "HTML alternative, 1/3 HTML + PDF attachment)", "", ""))  # fmt: skip
    rows.append(("(a) floor: imapclient UID FETCH BODY.PEEK[] (TLS, 500/batch) + "
                 f"`email.message_from_bytes` (median of {args.rounds})",
                 f"{floor_s:.2f} s (fetch {floor.fetch_seconds:.2f} + parse "
                 f"{floor.parse_seconds:.2f}; runs "
                 f"{', '.join(f'{f.seconds:.2f}' for f in floors)})", "", ""))  # fmt: skip
    rows.append((f"(b) `foibot sync --once` from empty (subprocess wall, median of "
                 f"{args.rounds})",
                 f"{full_s:.2f} s ({full_s - startup:.2f} s without {startup:.2f} s start-up; "
                 f"runs {', '.join(f'{f.seconds:.2f}' for f in fulls)}); CPU "
                 f"{full.cpu_seconds or 0:.1f} s in {full.processes} processes", "",
                 ""))  # fmt: skip
    rows.append(("ratio (b)/(a)", f"{ratio:.2f} ({ratio_net:.2f} without start-up; per "
                 f"round {', '.join(f'{r:.2f}' for r in ratios)})", "<= 2.0",
                 verdict(ratio <= 2.0)))  # fmt: skip
    for size in sorted(idle):
        res, cli = idle[size]
        rows.append((f"(c) no-new-mail sync at {size:,} (in-process, median of "
                     f"{args.repeats})",
                     f"{ms(res['median'])} (min {ms(res['min'])}, max {ms(res['max'])}); "
                     f"CLI `sync --once` {cli:.2f} s", "<= 50 ms, flat",
                     verdict(res["median"] <= 0.050)))  # fmt: skip
    rows.append(("(c) flat across sizes", " / ".join(ms(m) for m in medians), "flat",
                 verdict(flat)))  # fmt: skip
    rows.append(("(d) peak memory of (b): PSS summed over the sync and its parser workers "
                 "(sampled every 50 ms)",
                 f"{pss_mb:.0f} MB (largest single process {rss_mb:.0f} MB RSS; summed RSS, "
                 f"which counts pages shared after fork twice, {tree_rss_mb:.0f} MB)",
                 "<= 150 MB", verdict(pss_mb <= 150 and rss_mb <= 150)))  # fmt: skip

    table = ["| measure | result | goal | verdict |", "|---|---|---|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    print()
    print("\n".join(table))
    print(f"\nbench total {time.perf_counter() - bench_started:.0f} s; (c) goal "
          f"{'met' if idle_ok else 'NOT met'}")  # fmt: skip
    if full_profile:
        print(f"--- cProfile: full sync from empty of {args.small} messages ---")
        print(full_profile)
    if profile_text:
        print(f"--- cProfile: no-new-mail sync at {args.count} ---")
        print(profile_text)
    if args.results:
        load_after = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        section = [
            "## Ingest (bench/ingest.py)",
            "",
            f"Run {dt.date.today().isoformat()}: `.venv/bin/python bench/ingest.py --results"
            f"{' --profile' if args.profile else ''}` ({time.perf_counter() - bench_started:.0f}"
            f" s in all), against a local Dovecot (maildir, TLS on 127.0.0.1), SQLite "
            f"database. Machine: Python {platform.python_version()}, {platform.machine()} "
            f"Linux VM, {os.cpu_count()} vCPUs shared with other work (load average before "
            f"{', '.join(f'{x:.1f}' for x in load_before)}; after {load_after}).",
            "",
            *table,
            "",
            f"Notes: the {args.small:,} case is a second user holding the first {args.small:,} "
            f"of the same messages. " + " ".join(notes) + " The CLI figures include process "
            "start-up, config load, connect and TLS login.",
            "",
        ]
        replace_section(RESULTS, "## Ingest", "\n".join(section))
    return 0


if __name__ == "__main__":
    sys.exit(main())
