"""Backups: one consistent snapshot of the database (SQLite's online backup API inside one read transaction, or
``pg_dump`` on a snapshot exported from a repeatable-read transaction), the evidence files that snapshot's rows
name and no others, and a manifest of SHA-256 hashes and row counts taken from the snapshot itself. Orphan
files (named by no row: a worker killed between writing a file and committing its row) are reported and left
out.

Restore checks the whole backup first (manifest, every file's hash, the dump's integrity), builds the instance in
a staging database and a staging evidence folder, verifies them there (row counts, audit chain, evidence), and
only then switches the target over. A failed restore leaves the target as it was, so a retry works.

    snapshot.py   taking the backup
    files.py      which stored files the snapshot's rows name, and the orphans
    manifest.py   the manifest, and checking a backup against it
    restore.py    staging, verifying and switching over

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.backup.manifest import BackupError
from project.services.backup.restore import RestoreReport, restore_backup
from project.services.backup.snapshot import create_backup

__all__ = ["BackupError", "RestoreReport", "create_backup", "restore_backup"]
