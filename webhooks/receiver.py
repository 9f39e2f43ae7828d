"""A webhook receiver for development and tests: an HTTP server on 127.0.0.1 that
checks each delivery's signature with the Standard Webhooks library's verifier,
keeps what it got, and answers what ``answer(n)`` says (204 by default; a number
is the status, "slow" answers after ``slow_seconds``)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook


class LocalReceiver:
    def __init__(
        self,
        secret: str = "",
        *,
        answer: Callable[[int], int | str] = lambda n: 204,
        port: int = 0,
        slow_seconds: float = 2.0,
        on_receive: Callable[[dict], None] | None = None,
    ):
        self.secret, self.answer, self.slow_seconds = secret, answer, slow_seconds
        self.on_receive = on_receive
        self.received: list[dict] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> LocalReceiver:
        self.thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _record(self, body: bytes, headers: dict) -> int | str:
        try:
            payload = (
                Webhook(self.secret).verify(body, headers) if self.secret else None
            )
            verified = bool(self.secret)
        except Exception:  # noqa: BLE001 - any failed check means "not verified"
            payload, verified = None, False
        if payload is None:
            try:
                payload = json.loads(body or b"{}")
            except ValueError:
                payload = {}
        entry = {"headers": headers, "payload": payload, "verified": verified}
        with self._lock:
            self.received.append(entry)
            n = len(self.received)
        if self.on_receive:
            self.on_receive(entry)
        return self.answer(n)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = min(int(self.headers.get("content-length", 0) or 0), 1 << 20)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._record(body, headers)
                if status == "slow":
                    time.sleep(receiver.slow_seconds)
                    status = 204
                try:
                    self.send_response(int(status))
                    self.end_headers()
                    if int(status) >= 400:
                        self.wfile.write(b"receiver is down")
                except OSError:
                    pass  # the sender stopped waiting

        return Handler
