"""SIGINT/SIGTERM during a long command: finish the article at hand, then stop honestly.

Every article is one transaction or savepoint (:mod:`archive.storage.store`), so a
command that checks :attr:`Interrupt.requested` between articles commits only whole ones. It then
says "interrupted …" and exits 130 (SIGINT) or 143 (SIGTERM), as a shell reports a
process killed by that signal. A second signal stops at once (KeyboardInterrupt:
the transaction at hand rolls back).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupt:
    """Which signal asked the command to stop (None: none yet)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @property
    def exit_code(self) -> int:
        return 128 + int(self.signum or signal.SIGINT)

    @property
    def name(self) -> str:
        return signal.Signals(self.signum or signal.SIGINT).name

    def exit(self, message: str) -> None:
        """Print ``interrupted (SIGTERM): message`` and exit 130/143."""
        click.echo(f"interrupted ({self.name}): {message}", err=True)
        raise click.exceptions.Exit(self.exit_code)


@contextmanager
def interruptible() -> Iterator[Interrupt]:
    """Record SIGINT/SIGTERM instead of dying mid-article; the old handlers come back after."""
    state = Interrupt()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handler(signum, _frame) -> None:
        if state.signum is not None:
            raise KeyboardInterrupt
        state.signum = signum

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield state
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
