"""The simulated users of bench/load.py: a small HTTP client and the investigators' and supervisors' work.

Each client signs in once, then loops until the deadline. Investigators log complaints (a new case number),
open, add notes and upload exhibits to the cases they logged; supervisors list the intake queue, open cases
and assign each newly logged case to the investigator who logged it (intake -> open). Every request is
recorded (kind, status, latency, whether it answered as expected) and every write the server acknowledged
(the redirect that follows a save) is kept, to be looked for in the database afterwards.
"""

from __future__ import annotations

import http.client
import io
import random
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

CSRF = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
ERROR = re.compile(r'class="error"[^>]*>([^<]+)<')
KINDS = [
    "sign_in_form",
    "sign_in",
    "home",
    "list",
    "open_case",
    "add_note",
    "upload_exhibit",
    "log_complaint",
    "assign_form",
    "assign",
]
INVESTIGATOR_MIX = {"list": 20, "open_case": 25, "add_note": 25, "upload_exhibit": 15, "log_complaint": 15}
SUPERVISOR_MIX = {"list": 35, "open_case": 35, "assign": 30}


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


@dataclass
class Shared:
    """What the clients tell each other: cases logged and waiting for a supervisor, and every write acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    to_assign: deque[tuple[str, str]] = field(default_factory=deque)  # (case number, investigator's name)
    logged: list[str] = field(default_factory=list)
    acks: list[tuple[str, ...]] = field(default_factory=list)  # ("case", number, title), ("note", number, body) ...


class Browser:
    """One user's cookies over plain HTTP. Cookies marked Secure are sent anyway, as a TLS-terminating proxy
    in front of gunicorn would pass them on (http.cookiejar would drop them on an http:// URL)."""

    def __init__(self, host: str, port: int, records: list[Record], timeout: float = 60.0) -> None:
        self.host, self.port, self.records, self.timeout = host, port, records, timeout
        self.cookies: dict[str, str] = {}
        self.csrf = ""

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


class Client:
    def __init__(
        self, account: Account, index: int, port: int, shared: Shared, deadline: float, stop: threading.Event
    ) -> None:
        self.account, self.index, self.shared, self.deadline, self.stop = account, index, shared, deadline, stop
        self.records: list[Record] = []
        self.browser = Browser("127.0.0.1", port, self.records)
        self.rng = random.Random(index)  # noqa: S311 - a workload mix, not a secret
        self.cases: list[str] = []  # investigators: the cases this client logged
        self.sequence = 0

    def run(self) -> None:
        if not self.browser.sign_in(self.account):
            return
        mix = INVESTIGATOR_MIX if self.account.role == "investigator" else SUPERVISOR_MIX
        kinds, weights = list(mix), list(mix.values())
        while time.monotonic() < self.deadline and not self.stop.is_set():
            kind = self.rng.choices(kinds, weights)[0]
            if self.account.role == "investigator" and not self.cases:
                kind = "log_complaint"
            getattr(self, kind)()

    def _tag(self, what: str) -> str:
        self.sequence += 1
        return f"load-{what} c{self.index:02d}-{self.sequence:05d}-{uuid.uuid4().hex[:12]}"

    def _ack(self, *ack: str) -> None:
        with self.shared.lock:
            self.shared.acks.append(ack)

    def list(self) -> None:
        query = "?mine=1" if self.account.role == "investigator" else "?state=intake&mine=0"
        self.browser.call("list", "GET", f"/cases/{query}")

    def open_case(self) -> None:
        if self.account.role == "investigator":
            number = self.rng.choice(self.cases)
        else:
            with self.shared.lock:
                logged = list(self.shared.logged[-50:])
            if not logged:
                return self.list()
            number = self.rng.choice(logged)
        self.browser.call("open_case", "GET", f"/cases/{number}")
        return None

    def log_complaint(self) -> None:
        title = self._tag("case")
        received = (datetime.now(ZoneInfo("America/New_York")) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        status, location, _ = self.browser.call(
            "log_complaint",
            "POST",
            "/cases/new",
            {
                "csrf_token": self.browser.csrf,
                "title": title,
                "complaint_source": "staff_report",
                "received_at": received,
                "facility": "",
                "narrative": "Logged by the load benchmark.",
                "reporter_name": "",
                "reporter_contact": "",
                "platform": "facebook",
                "url": "",
                "account_handle": "@loadbench",
                "display_name": "Load Bench",
                "posted_at": "",
                "first_seen_at": "",
                "text": f"A reported post for {title}.",
                "identified_as_doc": "",
                "on_duty": "",
                "doc_insignia": "",
                "attribution": "",
            },
            expect=302,
        )
        if status == 302 and (match := re.fullmatch(r"/cases/(SM-\d{4}-\d{4,})", location)):
            number = match.group(1)
            self.cases.append(number)
            self._ack("case", number, title)
            with self.shared.lock:
                self.shared.logged.append(number)
                self.shared.to_assign.append((number, self.account.name))

    def add_note(self) -> None:
        number, body = self.rng.choice(self.cases), self._tag("note")
        status, location, _ = self.browser.call(
            "add_note",
            "POST",
            f"/cases/{number}/notes",
            {"csrf_token": self.browser.csrf, "kind": "observation", "body": body, "corrects": ""},
            expect=302,
        )
        if status == 302 and location == f"/cases/{number}":
            self._ack("note", number, body)

    def upload_exhibit(self) -> None:
        number, label = self.rng.choice(self.cases), self._tag("exhibit")
        png = screenshot(label, self.rng)
        status, location, _ = self.browser.call(
            "upload_exhibit",
            "POST",
            f"/cases/{number}/exhibits/new",
            {
                "csrf_token": self.browser.csrf,
                "description": f"Screenshot {label}",
                "source_url": "",
                "captured_at": "",
                "captured_by": self.account.name,
                "capture_method": "Load benchmark (Pillow)",
            },
            {"file": (f"{label.split()[1]}.png", png)},
            expect=302,
        )
        if status == 302 and (match := re.fullmatch(rf"/cases/{number}/exhibits/(\d+)", location)):
            self._ack("exhibit", number, match.group(1), sha256(png).hexdigest())

    def assign(self) -> None:
        with self.shared.lock:
            waiting = self.shared.to_assign.popleft() if self.shared.to_assign else None
        if waiting is None:
            return self.list()
        number, name = waiting
        _, _, page = self.browser.call("assign_form", "GET", f"/cases/{number}/assign")
        option = re.search(rf'<option[^>]*value="(\d+)"[^>]*>{re.escape(name)}</option>', page)
        if option is None:
            return None
        status, location, _ = self.browser.call(
            "assign",
            "POST",
            f"/cases/{number}/assign",
            {"csrf_token": self.browser.csrf, "investigator": option.group(1), "reason": ""},
            expect=302,
        )
        if status == 302 and location == f"/cases/{number}":
            self._ack("assign", number, name)
        return None


def run_clients(
    accounts: list[Account],
    port: int,
    seconds: float,
    stop: threading.Event,
) -> tuple[list[Record], list[tuple[str, ...]], float]:
    """Run one client per account for ``seconds``; return every record, every acknowledged write and the
    wall time from the first sign-in to the last answer."""
    shared = Shared()
    started = time.monotonic()
    clients = [Client(a, i, port, shared, started + seconds, stop) for i, a in enumerate(accounts)]
    threads = [threading.Thread(target=c.run, name=f"client-{i}", daemon=True) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        stop.set()  # the clients finish their request in flight and end
        raise
    elapsed = time.monotonic() - started
    return [r for c in clients for r in c.records], shared.acks, elapsed
