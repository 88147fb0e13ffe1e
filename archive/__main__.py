"""``python -m archive …`` is ``sct-archive …`` (the scheduler starts crawls this way)."""

from archive.cli import main

if __name__ == "__main__":
    main()
