"""A small HTTP client for the serving benchmarks: one user's cookies and CSRF token, every request recorded
(kind, status, latency, whether it answered as expected), and the small PNGs the users upload."""

from __future__ import annotations

import http.client
import io
import random
import re
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from PIL import Image, ImageDraw

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
ERROR = re.compile(r'class="error"[^>]*>([^<]+)<')


@dataclass(frozen=True)
class Account:
    email: str
    name: str
    role: str  # investigator or supervisor
    password: str


@dataclass(frozen=True)
class Record:
    kind: str
    status: int  # 0: no answer (connection refused, reset or timed out)
    seconds: float
    expected: bool
    note: str = ""  # what was unexpected


class Browser:
    """One user's cookies over plain HTTP. Cookies marked Secure are sent anyway, as a TLS-terminating proxy
    in front of gunicorn would pass them on (http.cookiejar would drop them on an http:// URL)."""

    def __init__(self, host: str, port: int, records: list[Record], timeout: float = 60.0) -> None:
        self.host, self.port, self.records, self.timeout = host, port, records, timeout
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.signed_out = False  # a request was sent to the sign-in page: the session is gone

    def call(
        self,
        kind: str,
        method: str,
        path: str,
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        expect: int = 200,
    ) -> tuple[int, str, str]:
        """One request, redirects not followed; returns (status, redirect path, body) and records it."""
        headers = {"User-Agent": "casefile-load-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, headers["Content-Type"] = multipart(fields or {}, files)
        elif fields is not None:
            body, headers["Content-Type"] = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        started = time.perf_counter()
        status, location, text = 0, "", ""
        try:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                status, location = response.status, urlsplit(response.getheader("Location") or "").path
                self.signed_out = self.signed_out or (kind != "sign_in" and location.startswith("/auth/sign-in"))
                self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as error:
            text = f"{type(error).__name__}: {error}"
        seconds = time.perf_counter() - started
        ok, note = status == expect, ""
        if not ok:
            said = ERROR.search(text) if 400 <= status < 500 else None
            detail = said.group(1).strip() if said else text[:200] if status == 0 or status >= 500 else ""
            note = f"{method} {path} -> {status} {location} {detail}".rstrip()
        self.records.append(Record(kind, status, seconds, ok, note))
        if token := CSRF.search(text):
            self.csrf = token.group(1)
        return status, location, text

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            pair, *attributes = header.split(";")
            name, _, value = pair.strip().partition("=")
            gone = any(a.strip().lower() in ("max-age=0", "expires=thu, 01 jan 1970 00:00:00 gmt") for a in attributes)
            if gone or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value

    def sign_in(self, account: Account) -> bool:
        self.call("sign_in_form", "GET", "/auth/sign-in")
        status, location, _ = self.call(
            "sign_in",
            "POST",
            "/auth/sign-in",
            {"csrf_token": self.csrf, "email": account.email, "password": account.password, "next": ""},
            expect=302,
        )
        if status != 302 or location.startswith("/auth/"):
            return False
        self.call("home", "GET", location)  # the page a browser lands on, with the new session's CSRF token
        self.signed_out = False
        return True


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: image/png\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def screenshot(label: str, rng: random.Random) -> bytes:
    """A small PNG, different every time (random colours and the label drawn in)."""
    image = Image.new("RGB", (320, 200), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(300), rng.randrange(180)
        draw.rectangle(
            [x, y, x + rng.randrange(8, 60), y + rng.randrange(8, 40)], fill=tuple(rng.randrange(256) for _ in range(3))
        )
    draw.text((10, 10), label, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
