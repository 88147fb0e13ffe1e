"""The read-only web interface and JSON API (``sct-archive serve``): Starlette + Jinja2
templates and the vendored static files beside them.

May import storage, the language package, the flags and the rest of the read side;
never the CLI. Starlette and Jinja2 are imported only here (and by ``serve``).
"""
