"""``python -m scheduler …``: ``sct-archive …`` with the scheduler's commands registered
even where the ``sct_archive.commands`` entry points are not installed."""

from archive.cli import cli, main
from scheduler.commands import daemon, recrawl, status

for _command in (daemon, recrawl, status):
    if _command.name not in cli.commands:
        cli.add_command(_command)

if __name__ == "__main__":
    main()
