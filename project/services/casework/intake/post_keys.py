"""The keys a reported post is matched by against earlier cases ("seen before", issue 17): its URL and its
account handle, normalised so that the same post written two ways is one key.

A URL's key drops what does not name the post: the scheme (http and https are the same post), a leading
``www.`` or ``m.`` (the mobile site), the port 80/443, the fragment, a trailing slash, and the tracking
parameters that sharing adds (``utm_*``, ``fbclid``, ``igsh``, X's ``s`` and ``t``...); the host is lower-cased
(twitter.com is x.com), the path keeps its case (post ids are case-sensitive) and the other parameters are
sorted. A handle's key is lower-cased without its leading ``@``; handles are matched on the same platform only.

Migration 0030 fills the keys of the posts stored before it with these same functions."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

TRACKING = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "igsh",
        "igshid",
        "mibextid",
        "si",
        "s",
        "t",
        "ref",
        "ref_src",
        "ref_url",
        "feature",
        "share_id",
        "sharer",
        "__cft__",
        "__tn__",
        "_rdr",
        "rdid",
        "is_from_webapp",
        "sender_device",
        "sender_web_id",
    }
)
HOSTS = {"twitter.com": "x.com", "mobile.twitter.com": "x.com", "fb.com": "facebook.com"}
MAX_KEY = 2048


def url_key(url: str | None) -> str | None:
    """``facebook.com/groups/1/posts/2`` for ``https://www.facebook.com/groups/1/posts/2/?fbclid=X#c``; None for
    no URL or one that is not http(s)."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
    host = HOSTS.get(host, host)
    if port not in (None, 80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    kept = sorted(
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower() not in TRACKING and not name.lower().startswith("utm_")
    )
    key = host + path + (f"?{urlencode(kept)}" if kept else "")
    return key[:MAX_KEY]


def handle_key(handle: str | None) -> str | None:
    """``co_pat`` for ``@CO_Pat``; None for no handle."""
    if not handle:
        return None
    key = handle.strip().lstrip("@").strip().casefold()
    return key[:200] or None
