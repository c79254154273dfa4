"""What one outbox run did, for the CLI and the log."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OutboxReport:
    """What one run did (draft ids); ``problem`` says why the SMTP server could not be used."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)  # over the rate limit: next minute
    recovered: dict[int, str] = field(default_factory=dict)  # id -> "sent" | "resend"
    copies: int = 0
    copy_errors: list[str] = field(default_factory=list)
    problem: str | None = None
    busy: bool = False  # another process holds the outbox lock: nothing done

    def __str__(self) -> str:
        if self.busy:
            return "outbox: another foibot process is sending; nothing done"
        parts = [
            f"{len(self.sent)} sent",
            f"{len(self.retrying)} to retry",
            f"{len(self.failed)} failed",
        ]
        if self.deferred:
            parts.append(f"{len(self.deferred)} deferred by the rate limit")
        if self.recovered:
            parts.append(f"{len(self.recovered)} recovered after a crash")
        if self.copies:
            parts.append(f"{self.copies} copied to Sent")
        text = "outbox: " + ", ".join(parts)
        if self.problem:
            text += f"\nproblem: {self.problem}"
        for error in self.copy_errors[:3]:
            text += f"\ncopy to Sent failed (retried next time): {error}"
        return text
