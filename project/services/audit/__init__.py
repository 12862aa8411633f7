"""The audit trail: events written in the transaction of the change, chained by hash, append-only.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.audit.anchor import AnchorError, AnchorReport, Checkpoint, verify_anchor, write_checkpoint
from project.services.audit.append_only import install_append_only_guards
from project.services.audit.chain import GENESIS, ChainReport, install_hash_chain, row_hash, verify_chain
from project.services.audit.events import Actor, record, record_for
from project.services.audit.seals import NoteIntegrity, note_integrity, seal_existing

__all__ = [
    "Actor",
    "AnchorError",
    "AnchorReport",
    "ChainReport",
    "Checkpoint",
    "GENESIS",
    "NoteIntegrity",
    "install_append_only_guards",
    "install_hash_chain",
    "note_integrity",
    "record",
    "record_for",
    "row_hash",
    "seal_existing",
    "verify_anchor",
    "verify_chain",
    "write_checkpoint",
]
