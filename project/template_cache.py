"""Compiled templates, kept in the instance folder so a new process loads them instead of compiling them.

Jinja compiles a template's source to Python the first time a process renders it: 0.28 s for the packet's
templates, which every ``flask packet`` paid, reprints included, and every gunicorn worker paid again for
each page on its first request (issue 19). Jinja's bytecode cache keys each compiled template by its name
and the checksum of its source, so an edited template is compiled afresh. The folder is inside the private
instance folder (0700): only the app's own user can put code there.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import BytecodeCache, FileSystemBytecodeCache

FOLDER = "template-cache"


def bytecode_cache(instance_path: str) -> BytecodeCache | None:
    """The instance's cache of compiled templates; None (compile each time) where it cannot be made."""
    folder = Path(instance_path) / FOLDER
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))
