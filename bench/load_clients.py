"""The simulated users of bench/load.py and bench/chaos.py: the investigators' and supervisors' work.

Each client signs in once, then loops until the deadline. Investigators log complaints (a new case number),
open, add notes and upload exhibits to the cases they logged; supervisors list the intake queue, open cases
and assign each newly logged case to the investigator who logged it (intake -> open). Every request is
recorded (kind, status, latency, whether it answered as expected) and every write the server acknowledged
(the redirect that follows a save) is kept, to be looked for in the database afterwards (bench/acknowledged.py).
Notes and complaints carry a form token, as the rendered form does; a client with ``retries`` resubmits a
write that got no answer or a 5xx, unchanged, as a user pressing Submit again would.
"""

from __future__ import annotations

import random
import re
import secrets
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from hashlib import sha256
from zoneinfo import ZoneInfo

from browser import Account, Browser, Record, screenshot  # bench/ is the script's folder

__all__ = ["KINDS", "Account", "Client", "Record", "Shared", "run_clients"]

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


@dataclass
class Shared:
    """What the clients tell each other: cases logged and waiting for a supervisor, and every write acknowledged."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    to_assign: deque[tuple[str, str]] = field(default_factory=deque)  # (case number, investigator's name)
    logged: list[str] = field(default_factory=list)
    acks: list[tuple[str, ...]] = field(default_factory=list)  # ("case", number, title), ("note", number, body) ...
    resubmits: Counter[str] = field(default_factory=Counter)  # kind of write: forms sent again


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
        self.retries = 0

    def run(self) -> None:
        """Sign in, then work until the deadline. A client with ``retries`` signs in again whenever its session
        is gone or signing in failed (the server or the database was down), and pauses for a second after a
        failed request; one without gives up."""
        signed_in = False
        while self.working():
            if not signed_in or self.browser.signed_out:
                signed_in = self.browser.sign_in(self.account)
                if not signed_in and not self.retries:
                    return
                if not signed_in:
                    time.sleep(1)
                    continue
            self.step()
            if self.retries and self.records[-1:] and not 0 < self.records[-1].status < 500:
                time.sleep(1)  # the server or the database is down: wait a moment, as a person would

    def working(self) -> bool:
        return time.monotonic() < self.deadline and not self.stop.is_set()

    def step(self) -> None:
        """One piece of work, drawn from the role's mix."""
        mix = INVESTIGATOR_MIX if self.account.role == "investigator" else SUPERVISOR_MIX
        kind = self.rng.choices(list(mix), list(mix.values()))[0]
        if self.account.role == "investigator" and not self.cases:
            kind = "log_complaint"
        getattr(self, kind)()

    def submit(
        self, kind: str, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, str, str]:
        """POST a form expecting the redirect that follows a save; with ``retries``, the same form again (same
        form token) after no answer or a 5xx, a second apart."""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(1)
                with self.shared.lock:
                    self.shared.resubmits[kind] += 1
            status, location, page = self.browser.call(
                kind, "POST", path, fields | {"csrf_token": self.browser.csrf}, files, expect=302
            )
            if 0 < status < 500:
                break
        return status, location, page

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
        status, location, _ = self.submit(
            "log_complaint",
            "/cases/new",
            {
                "form_token": secrets.token_urlsafe(24),
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
        status, location, _ = self.submit(
            "add_note",
            f"/cases/{number}/notes",
            {"form_token": secrets.token_urlsafe(24), "kind": "observation", "body": body, "corrects": ""},
        )
        if status == 302 and location == f"/cases/{number}":
            self._ack("note", number, body)

    def upload_exhibit(self) -> None:
        number, label = self.rng.choice(self.cases), self._tag("exhibit")
        png = screenshot(label, self.rng)
        status, location, page = self.submit(
            "upload_exhibit",
            f"/cases/{number}/exhibits/new",
            {
                "description": f"Screenshot {label}",
                "source_url": "",
                "captured_at": "",
                "captured_by": self.account.name,
                "capture_method": "Load benchmark (Pillow)",
            },
            {"file": (f"{label.split()[1]}.png", png)},
        )
        if status == 302 and (match := re.fullmatch(rf"/cases/{number}/exhibits/(\d+)", location)):
            self._ack("exhibit", number, match.group(1), sha256(png).hexdigest())
        elif status == 400 and "It is not stored twice" in page:  # a resubmit: the first one was saved
            self._ack("exhibit", number, "", sha256(png).hexdigest())

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
        status, location, _ = self.submit(
            "assign", f"/cases/{number}/assign", {"investigator": option.group(1), "reason": ""}
        )
        if status == 302 and location == f"/cases/{number}":
            self._ack("assign", number, name)
        return None


def run_clients(
    accounts: list[Account],
    port: int,
    seconds: float,
    stop: threading.Event,
    retries: int = 0,
    shared: Shared | None = None,
) -> tuple[list[Record], list[tuple[str, ...]], float]:
    """Run one client per account for ``seconds``, each resubmitting a write up to ``retries`` times; return
    every record, every acknowledged write and the wall time from the first sign-in to the last answer.
    ``shared`` lets the caller watch the acknowledged writes while the clients run."""
    shared = shared or Shared()
    started = time.monotonic()
    clients = [Client(a, i, port, shared, started + seconds, stop) for i, a in enumerate(accounts)]
    for client in clients:
        client.retries = retries
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
