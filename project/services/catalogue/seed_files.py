"""Reading the catalogue's seed files: the error a malformed file gives, and the count of what a load changed."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from project.extensions import db

M = TypeVar("M")


class SeedDataError(ValueError):
    """A seed file is malformed; the message names the file and the entry."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: type) -> None:
        bucket[model.__name__] = bucket.get(model.__name__, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SeedDataError(f"{path}: {exc}") from exc


def upsert(model: type[M], key: dict[str, Any], values: dict[str, Any], report: LoadReport) -> M:
    """Find the row by its natural key; create it, or update only the fields that differ."""
    row = db.session.scalars(select(model).filter_by(**key)).one_or_none()
    if row is None:
        row = model(**key, **values)
        db.session.add(row)
        db.session.flush()
        report.count(report.created, model)
        return row
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    if changed:
        report.count(report.updated, model)
    return row
