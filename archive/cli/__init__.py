"""The ``sct-archive`` command: a thin click group.

Each package contributes its own commands through the ``sct_archive.commands``
entry-point group (see pyproject.toml), so ``archive`` never imports ``crawler`` or
``scheduler``; a command's module is imported only when that command runs (or when
``--help`` lists it).

Errors a user can act on (:class:`archive.errors.ArchiveError`, a bad option) are
printed as one ``Error: …`` line with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

import click

from archive.errors import ArchiveError
from archive.storage.config import ENV_DB, resolve_db_url

COMMAND_GROUP = "sct_archive.commands"


@dataclass
class AppContext:
    """What the group passes to every command."""

    db: str | None = None
    verbose: int = 0
    quiet: bool = False

    def db_url(self, override: str | None = None) -> str:
        return resolve_db_url(override or self.db)

    def archive(self, override: str | None = None, *, create: bool = False):
        """The archive; only commands that write pass ``create=True`` (a read on a path
        or URL without an archive is one error line, never a new empty database)."""
        from archive.storage.store import Archive

        return Archive.open(self.db_url(override), create=create)


def db_option(func):
    """``--db URL`` on a command (it also works before the command name)."""
    return click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help=f"Archive database URL or SQLite path (default: ${ENV_DB}, else data/archive.sqlite3).",
    )(func)


def json_option(func):
    return click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")(func)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


class PluginGroup(click.Group):
    """A group whose subcommands come from entry points, imported on demand."""

    def _entry_points(self) -> dict[str, Any]:
        return {ep.name: ep for ep in entry_points(group=COMMAND_GROUP)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._entry_points()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        ep = self._entry_points().get(cmd_name)
        return ep.load() if ep is not None else None

    def invoke(self, ctx: click.Context) -> Any:
        """Turn errors a user can act on into one ``Error:`` line (tracebacks only with -vv)."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            if (ctx.obj and ctx.obj.verbose > 1):
                raise
            raise UserError(str(exc), exc.exit_code) from exc
        except SQLAlchemyError as exc:
            if (ctx.obj and ctx.obj.verbose > 1):
                raise
            detail = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            raise UserError(f"database error: {detail}") from exc


class UserError(click.ClickException):
    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class _JsonLogFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def setup_logging(verbose: int, quiet: bool, log_format: str) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(_JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level if verbose else max(level, logging.WARNING))
    if not verbose:
        # Our own progress lines are INFO; libraries stay at WARNING unless -v.
        for name in ("archive", "crawler", "scheduler"):
            logging.getLogger(name).setLevel(level)
    for noisy in ("alembic.runtime.migration",):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose < 2 else logging.INFO)


@click.group(cls=PluginGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    default=None,
    help=f"Archive database URL or SQLite path. Default: ${ENV_DB}, else data/archive.sqlite3.",
)
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    envvar="SCT_ARCHIVE_LOG_FORMAT",
    show_default=True,
    help="Log line format on stderr.",
)
@click.version_option(package_name="sct-archive")
@click.pass_context
def cli(ctx: click.Context, db: str | None, verbose: int, quiet: bool, log_format: str) -> None:
    """Archive the news of Vietnam's Departments of Industry and Trade (Sở Công Thương).

    \b
    Start here:
      sct-archive demo                  crawl the bundled sample sites into ./data/
      sct-archive sites                 the registry of real sites
      sct-archive crawl KEY             crawl one registered site incrementally
      sct-archive show URL_OR_ID        an archived article and its versions
      sct-archive export --format jsonl everything, one article per line

    The archive is a SQLite file (data/archive.sqlite3) unless --db or
    $SCT_ARCHIVE_DB names another, e.g. postgresql://user@host/sct.
    """
    setup_logging(verbose, quiet, log_format)
    ctx.obj = AppContext(db=db, verbose=verbose, quiet=quiet)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one clear line and a non-zero exit for any user error."""
    try:
        code = cli.main(args=argv, prog_name="sct-archive", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)  # click returns (not raises) Exit codes without standalone mode
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except ArchiveError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
