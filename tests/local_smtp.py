"""A real SMTP server on 127.0.0.1 for tests: enough of RFC 5321 for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT), keeping what it accepts. Addresses in ``refuse`` get 550 at RCPT."""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from types import TracebackType


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message


@dataclass
class _State:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 127.0.0.1 test SMTP ready")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb, argument = command[:4].upper(), command[5:].strip()
            address = argument.partition(":")[2].strip().strip("<>").lower()
            if verb in ("EHLO", "HELO"):
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                sender, recipients = address, []
                self.reply("250 OK")
            elif verb == "RCPT" and address in self.server.state.refuse:
                self.reply("550 No such mailbox")
            elif verb == "RCPT":
                recipients.append(address)
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.server.state.received.append(Received(sender, recipients, message_from_bytes(self._data())))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: _State


class LocalSMTPServer:
    """``with LocalSMTPServer() as smtp:`` serves on ``smtp.port`` until the block ends."""

    def __init__(self, refuse: set[str] | None = None) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = _State(refuse=refuse or set())
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def received(self) -> list[Received]:
        return self._server.state.received

    def __enter__(self) -> LocalSMTPServer:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def unused_port() -> int:
    """A port on 127.0.0.1 nobody listens on (a connection to it is refused): a mail server that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
