"""The archive: everything that knows the database, and what it stores.

Rooms: ``vietnamese`` (language knowledge, pure), ``flags`` (conference/funding rules,
pure), ``storage`` (models, engines, migrations, the store, leases), ``read`` (queries,
exports, feeds), ``cli`` (the ``sct-archive`` click group and its archive commands);
``errors`` is shared by all. Imports neither :mod:`crawler` nor :mod:`scheduler`.
"""
