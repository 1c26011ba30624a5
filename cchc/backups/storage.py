"""Uploaded files that appear only once the record pointing at them is committed.

A plain FileSystemStorage writes the file the moment a form saves it, inside the caller's
transaction. When that transaction rolls back (a rejected scan, a stale version) or the process is
killed before the commit, the file stays behind with no record: an orphan. The opposite also
happens: a record committed while the file was half written.

This storage writes every new file, fully and fsync'ed, under `MEDIA_ROOT/.pending/<name>` before
the transaction commits (so a commit never points at a half-written file), and moves it to
`MEDIA_ROOT/<name>` in `transaction.on_commit`. A file whose transaction rolled back therefore never
reaches its final place; `cchc uploads sweep` (run by the worker) deletes such pending files, and
finishes the move for any pending file a committed record does point at (the process died between
the commit and the move).

Names are reserved under a lock file, counting pending files as taken, so two uploads can never
get the same final name, and the final move links instead of renaming so it never replaces a file.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.db import transaction

PENDING_DIR = ".pending"
ORPHANS_DIR = ".orphans"
LOCK_FILE = ".lock"
# Directories under MEDIA_ROOT that never hold published files.
PRIVATE_DIRS = frozenset({PENDING_DIR, ORPHANS_DIR})


def _fsync_dir(path: Path) -> None:
    """Make a rename/link durable: the directory entry must reach the disk too."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class CommitSafeStorage(FileSystemStorage):
    """FileSystemStorage whose new files become visible only after the transaction commits."""

    @property
    def pending_root(self) -> Path:
        return Path(self.location) / PENDING_DIR

    def pending_path(self, name: str) -> Path:
        return self.pending_root / name

    def final_path(self, name: str) -> Path:
        return Path(super().path(name))

    def path(self, name: str) -> str:
        """The final file, or the pending one while its transaction is still open.

        Code that reads a file it has just saved (same transaction, or a test that never commits)
        still finds it, and `exists()` counts pending names as taken.
        """
        final = super().path(name)
        if not os.path.lexists(final):
            pending = self.pending_path(name)
            if os.path.lexists(pending):
                return str(pending)
        return final

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One process at a time reserves a name or publishes a file (all workers share it)."""
        self.pending_root.mkdir(parents=True, exist_ok=True)
        with open(self.pending_root / LOCK_FILE, "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _reserve(self, name: str) -> tuple[str, Path]:
        with self.locked():
            while True:
                if self.exists(name):
                    name = self.get_available_name(name)
                    continue
                pending = self.pending_path(name)
                pending.parent.mkdir(parents=True, exist_ok=True)
                try:
                    fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
                except FileExistsError:
                    name = self.get_available_name(name)
                    continue
                os.close(fd)
                return name, pending

    def _save(self, name: str, content: File) -> str:
        name, pending = self._reserve(name)
        try:
            with open(pending, "wb") as out:
                if hasattr(content, "temporary_file_path"):
                    with open(content.temporary_file_path(), "rb") as source:
                        while chunk := source.read(1024 * 1024):
                            out.write(chunk)
                else:
                    for chunk in content.chunks():
                        out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            pending.unlink(missing_ok=True)
            raise
        transaction.on_commit(partial(self.publish, name))
        return name.replace("\\", "/")

    def publish(self, name: str) -> bool:
        """Move a pending file to its final place; True when it is (now) there."""
        pending, final = self.pending_path(name), self.final_path(name)
        with self.locked():
            if not pending.exists():
                return final.exists()
            final.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(pending, final)
            except OSError as error:
                if error.errno != errno.EEXIST:
                    raise
                # Already published by the worker's sweep racing this commit: same bytes.
                if final.stat().st_size != pending.stat().st_size:
                    return False
            pending.unlink()
            _fsync_dir(final.parent)
        return True

    def listdir_all(self) -> Iterator[tuple[str, Path]]:
        """Every published file as (name, path), skipping the private directories."""
        root = Path(self.location)
        if not root.exists():
            return
        for directory, subdirs, files in os.walk(root):
            here = Path(directory)
            if here == root:
                subdirs[:] = [d for d in subdirs if d not in PRIVATE_DIRS]
            for filename in files:
                path = here / filename
                yield path.relative_to(root).as_posix(), path

    def pending_all(self) -> Iterator[tuple[str, Path]]:
        root = self.pending_root
        if not root.exists():
            return
        for directory, _subdirs, files in os.walk(root):
            for filename in files:
                path = Path(directory) / filename
                if path.parent == root and filename == LOCK_FILE:
                    continue
                yield path.relative_to(root).as_posix(), path
