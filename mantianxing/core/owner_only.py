"""Files with personal data are readable by their owner only (issue 12 §8).

Each writer of a file under var/ makes it 0600 itself: the uploads awaiting confirmation
(imports/views.py, via mkstemp in a 0700 folder), backups (core/backups.py), the secrets
(lib/env.py), the demo accounts (accounts/services.py). The SQLite database is created by SQLite,
with the process's umask: it is made 0600 here when the first connection opens it. SQLite creates
its -wal and -shm files with the database file's mode.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

OWNER_ONLY = 0o600
_done: set[str] = set()


def owner_only_database(sender: Any, connection: Any, **_kwargs: Any) -> None:
    """`connection_created` receiver: the SQLite file and its companions to 0600, once per process."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if name in _done or not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(f"{name}-wal"), Path(f"{name}-shm")):
        if path.exists() and (path.stat().st_mode & 0o777) != OWNER_ONLY:
            os.chmod(path, OWNER_ONLY)
    _done.add(name)
