"""Real servers on loopback for the notification tests and bench: an SMTP server (aiosmtpd) and
an HTTP server standing in for an SMS gateway and the LINE Messaging API. Each records the
requests exactly as received, and answers as told (to inject failures)."""

import json
import socket
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def free_port() -> int:
    """A port nothing listens on (for "the gateway is down")."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A client that gave up (timeout) leaves a broken pipe here: expected, not news."""


class Recorded:
    def __init__(self, path, headers, body):
        self.path = path
        self.headers = headers
        self.body = body

    @property
    def form(self) -> dict:
        return dict(parse_qsl(self.body.decode()))

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class FakeProvider:
    """``kind``: "sms" (answers like a ThaiBulkSMS-style gateway) or "line" (like the LINE
    push API, which refuses a repeated X-Line-Retry-Key with 409).

    ``modes`` are used up one per request, then ``default``: ``ok``; ``500``; ``400``;
    ``garbage`` (200 with a body that is not the provider's answer); ``slow`` (answers after
    ``slow_seconds``, having accepted the message); ``drop`` (accepts the message, then closes
    the connection without answering)."""

    def __init__(self, kind: str = "sms", slow_seconds: float = 2.0, port: int = 0):
        self.kind = kind
        self.slow_seconds = slow_seconds
        self.modes: deque[str] = deque()
        self.default = "ok"
        self.requests: list[Recorded] = []
        self.accepted: list[str] = []  # the reference / retry key of each delivered message
        self.lock = threading.Lock()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()  # headers and body leave at once (no Nagle/delayed-ACK stall)
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                provider.handle(self, body)

        self.server = QuietServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _key(self, handler, body) -> str:
        if self.kind == "line":
            return handler.headers.get("X-Line-Retry-Key", "")
        return dict(parse_qsl(body.decode())).get("reference", "")

    def handle(self, handler, body):
        with self.lock:
            self.requests.append(Recorded(handler.path, dict(handler.headers.items()), body))
            mode = self.modes.popleft() if self.modes else self.default
            key = self._key(handler, body)
            # an outage answers 500 before any check; otherwise LINE refuses a repeated key
            repeat = self.kind == "line" and key and key in self.accepted and mode != "500"
            if mode in ("ok", "slow", "drop", "garbage") and not repeat:
                self.accepted.append(key)
        if mode == "slow":
            time.sleep(self.slow_seconds)
        if mode == "drop":
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if repeat:
            self._answer(handler, 409, {"message": "The retry key is already accepted"},
                         {"x-line-accepted-request-id": "req-1"})
        elif mode == "500":
            self._answer(handler, 500, {"error": "internal"})
        elif mode == "400":
            self._answer(handler, 400, {"error": "invalid msisdn"})
        elif mode == "garbage":
            self._send(handler, 200, b"<html>proxy says hello</html>", "text/html")
        elif self.kind == "line":
            self._answer(handler, 200, {"sentMessages": [{"id": "1", "quoteToken": "q"}]})
        else:
            self._answer(handler, 200, {"phone_number_list": [{"message_id": "m1"}],
                                        "bad_phone_number_list": []})

    def _answer(self, handler, status, data, headers=None):
        self._send(handler, status, json.dumps(data).encode(), "application/json", headers)

    def _send(self, handler, status, payload, content_type, headers=None):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)


class SmtpSink:
    """aiosmtpd on loopback, keeping every envelope it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.envelopes = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.envelopes.append(envelope)
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()
