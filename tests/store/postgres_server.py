"""A throwaway PostgreSQL server for the store tests: initdb in a temp folder, unix socket only.

Debian's ``postgresql`` package provides the binaries (``.ci/run`` installs it). The
server listens on no TCP port, only on a socket in its own folder, so parallel test
workers never collide and nothing outside the folder is touched.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Where Debian puts the server binaries (initdb and pg_ctl are not on PATH there).
_DEBIAN_BINS = "/usr/lib/postgresql/*/bin"
_PORT = 5432  # only names the socket file; no TCP listener


def server_bin() -> Path | None:
    """Return the folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    for folder in sorted(glob.glob(_DEBIAN_BINS), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _as_server_user(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as Debian's postgres user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def running_server(bin_dir: Path) -> Iterator[str]:
    """Start a fresh cluster, yield the URL template of its superuser, then stop and delete it."""
    root = Path(tempfile.mkdtemp(prefix="pg-"))  # short: a socket path must stay under 107 bytes
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        ),
        **run,
    )
    options = f"-k {root} -p {_PORT} -c listen_addresses='' -c fsync=off -c max_connections=60"
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start"]
        ),
        **run,
    )
    try:
        yield f"postgresql://postgres@/{{database}}?host={root}&port={_PORT}"
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
