"""The audit chain anchored outside the database (issue 15, F13, Deliver 4).

A checkpoint is the chain's head (sequence number and hash) signed with HMAC-SHA256 under a key the
database does not hold (``AUDIT_CHECKPOINT_KEY``, or the file ``AUDIT_CHECKPOINT_KEY_FILE``), appended as
one JSON line to a file of its own (``AUDIT_CHECKPOINT_FILE``, by default ``audit-checkpoints.jsonl`` in
the instance folder). Each line also signs the signature of the line before it, so a line cannot be
dropped from the middle or edited. Whoever can write to the database but holds neither the key nor the
file cannot cut the chain's tail or rewrite its history without ``flask audit verify`` saying so: the row
each checkpoint names must still be there, with the hash it had.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from project import clock
from project.extensions import db
from project.models import AuditChainHead, AuditEvent
from project.services.audit import events
from project.transaction import committing

MIN_KEY_BYTES = 32


class AnchorError(RuntimeError):
    """The checkpoint key or file cannot be used (the message says why)."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    prev: str
    mac: str


@dataclass
class AnchorReport:
    state: str  # "off", "no checkpoint" or "checked"
    problems: list[str] = field(default_factory=list)
    latest: Checkpoint | None = None

    @property
    def summary(self) -> str:
        if self.state == "off":
            return "Checkpoint anchor off: no AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE is set."
        if self.state == "no checkpoint":
            return (
                f"Checkpoint anchor on, but no checkpoint written yet in {checkpoint_file()}: "
                "run `flask audit checkpoint`."
            )
        latest = self.latest
        assert latest is not None
        if self.problems:
            return f"The chain does NOT match the signed checkpoints in {checkpoint_file()}."
        return f"The chain matches the signed checkpoint of row {latest.seq} ({latest.at}) in {checkpoint_file()}."


def checkpoint_file() -> Path:
    configured = current_app.config.get("AUDIT_CHECKPOINT_FILE")
    return Path(configured) if configured else Path(current_app.instance_path) / "audit-checkpoints.jsonl"


def _key() -> bytes | None:
    key: str | None = current_app.config.get("AUDIT_CHECKPOINT_KEY") or None
    key_file = current_app.config.get("AUDIT_CHECKPOINT_KEY_FILE")
    if key is None and key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as exc:
            raise AnchorError(f"AUDIT_CHECKPOINT_KEY_FILE {key_file} cannot be read: {exc.strerror}") from exc
    if key is None:
        return None
    if len(key.encode()) < MIN_KEY_BYTES:
        raise AnchorError(f"the checkpoint key must be at least {MIN_KEY_BYTES} bytes (e.g. `openssl rand -hex 32`)")
    return key.encode()


def _signed(key: bytes, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _content(line: Checkpoint) -> dict[str, Any]:
    return {"seq": line.seq, "hash": line.hash, "at": line.at, "key_id": line.key_id, "prev": line.prev}


def _read(path: Path) -> list[Checkpoint]:
    if not path.exists():
        return []
    try:
        text = path.read_text()
    except OSError as exc:
        raise AnchorError(f"the checkpoint file {path} cannot be read: {exc.strerror}") from exc
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            lines.append(Checkpoint(**{name: data[name] for name in Checkpoint.__dataclass_fields__}))
        except (ValueError, KeyError, TypeError) as exc:
            raise AnchorError(f"line {number} of {path} is not a checkpoint") from exc
    return lines


def write_checkpoint() -> Checkpoint:
    """Sign the chain's head and append it to the checkpoint file; audited. Refused while the chain no
    longer matches the latest checkpoint (a new one would anchor the damage)."""
    key = _key()
    if key is None:
        raise AnchorError("set AUDIT_CHECKPOINT_KEY or AUDIT_CHECKPOINT_KEY_FILE to sign checkpoints")
    report = verify_anchor(latest_only=True)
    if report.problems:
        raise AnchorError("not written: " + "; ".join(report.problems))
    head = db.session.get(AuditChainHead, 1)
    if head is None or head.last_seq == 0:
        raise AnchorError("the audit chain is empty: nothing to anchor yet")
    path = checkpoint_file()
    previous = report.latest.mac if report.latest is not None else ""
    draft = Checkpoint(
        seq=head.last_seq,
        hash=head.last_hash,
        at=clock.now().isoformat(timespec="seconds"),
        key_id=hashlib.sha256(b"key id:" + key).hexdigest()[:12],
        prev=previous,
        mac="",
    )
    line = Checkpoint(**{**_content(draft), "mac": _signed(key, _content(draft))})
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps({**_content(line), "mac": line.mac}, sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    with committing("the audit checkpoint"):
        events.record(
            "audit.checkpoint_written",
            object_type="audit_chain",
            detail={"seq": line.seq, "hash": line.hash, "file": str(path), "key_id": line.key_id},
        )
    return line


def verify_anchor(latest_only: bool = False) -> AnchorReport:
    """Check every checkpoint line's signature, and that the rows they name still carry the hashes they
    had (only the latest when ``latest_only``)."""
    key = _key()
    if key is None:
        return AnchorReport("off")
    path = checkpoint_file()
    lines = _read(path)
    if not lines:
        return AnchorReport("no checkpoint")
    report = AnchorReport("checked", latest=lines[-1])
    previous = ""
    for number, line in enumerate(lines, start=1):
        if line.prev != previous or not hmac.compare_digest(_signed(key, _content(line)), line.mac):
            report.problems.append(
                f"checkpoint {number} of {path} does not verify with the configured key "
                "(altered, taken out of order, or signed with another key)"
            )
        previous = line.mac
    if report.problems:
        return report
    checked = lines[-1:] if latest_only else lines
    query = select(AuditEvent.chain_seq, AuditEvent.row_hash).where(AuditEvent.chain_seq.in_({c.seq for c in checked}))
    hashes: dict[int | None, str | None] = dict(db.session.execute(query).all())
    head = db.session.get(AuditChainHead, 1)
    last_seq = head.last_seq if head is not None else 0
    latest = lines[-1]
    if last_seq < latest.seq:
        report.problems.append(
            f"the chain ends at row {last_seq} but the signed checkpoint of row {latest.seq} ({latest.at}) "
            f"says it reached row {latest.seq}: rows {last_seq + 1} to {latest.seq} were removed"
        )
    for line in checked:
        if line.seq in hashes and hashes[line.seq] != line.hash:
            report.problems.append(
                f"audit row {line.seq} does not match the signed checkpoint of {line.at}: "
                "the history up to it was rewritten"
            )
        elif line.seq not in hashes and line.seq <= last_seq:
            report.problems.append(f"audit row {line.seq}, named by the signed checkpoint of {line.at}, is missing")
    return report
