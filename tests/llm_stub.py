"""A real OpenAI-compatible chat-completions server on 127.0.0.1, run in a thread by the writer tests."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, dict[str, str], str]  # status, headers, body
Behaviour = Callable[[dict[str, Any], int], Reply]  # request body, number of requests before it -> reply

STUB_MODEL = "stub-model-1"
_ANSWER = re.compile(r"^\[([^\]]+)\] (.*)$", re.MULTILINE)


def completion(content: str, model: str = STUB_MODEL) -> Reply:
    """A 200 chat completion whose message is `content`."""
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
    }
    return 200, {"Content-Type": "application/json"}, json.dumps(body)


def answers_sent(body: dict[str, Any]) -> list[tuple[str, str]]:
    """The (statement id, text) pairs of the request's first user message."""
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return _ANSWER.findall(user)


def grounded(body: dict[str, Any], count: int) -> Reply:
    """A reply that passes the checks: a title from the first answer's words, a sentence, its id cited."""
    sid, text = answers_sent(body)[0]
    words = re.findall(r"[A-Za-z]+", text)[:3]
    title = "Respondents raise " + " ".join(w.lower() for w in words)
    summary = f"Respondents in this group said that {text.rstrip('.').lower()}."
    return completion(json.dumps({"title": title, "summary": summary, "quote_ids": [sid]}))


class StubServer:
    """Serves `behaviour` at http://127.0.0.1:<port>/v1/chat/completions and records every request body."""

    def __init__(self, behaviour: Behaviour = grounded) -> None:
        self.behaviour = behaviour
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL a config names (`writer.base_url`)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def raw(self) -> str:
        """Every request body received, as text."""
        return "\n".join(json.dumps(b, ensure_ascii=False) for b in self.bodies)

    def start(self) -> StubServer:
        """Start serving in a thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with stub._lock:
                    count = len(stub.bodies)
                    stub.bodies.append(body)
                    stub.headers.append(dict(self.headers.items()))
                if self.path != "/v1/chat/completions":
                    status, headers, text = 404, {}, "not found"
                else:
                    status, headers, text = stub.behaviour(body, count)
                data = text.encode()
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
                return

        return Handler
