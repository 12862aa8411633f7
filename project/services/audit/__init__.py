"""The audit trail: events written in the transaction of the change, chained by hash, append-only.

Other code imports only the names below; the modules of the package are its own."""

from __future__ import annotations

from project.services.audit.append_only import install_append_only_guards
from project.services.audit.chain import GENESIS, install_hash_chain, row_hash, verify_chain
from project.services.audit.events import Actor, record, record_for

__all__ = [
    "Actor",
    "GENESIS",
    "install_append_only_guards",
    "install_hash_chain",
    "record",
    "record_for",
    "row_hash",
    "verify_chain",
]
