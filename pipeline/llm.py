"""A client for OpenAI-compatible chat-completions endpoints (llama.cpp, Ollama, vLLM, Azure OpenAI, OpenAI).

Used by the writer (`writer.backend: openai`). Plain `httpx`, imported when a client is made (the `llm` extra:
`pip install 'consolidate[llm]'`). A request asks for a JSON object (`response_format`); a server that refuses
the field (HTTP 400 naming it) is asked again without it, and from then on. A 429 is retried after `Retry-After`
(or 1, 2, 4 ... seconds) while the request's `timeout_s` lasts. Every other problem is a `ChatFailure`: one line,
never an exception; `fatal` ones (endpoint down, 401, 403, 404) mean the next request would fail the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pipeline.errors import NotInstalledError

FailureKind = Literal["down", "unauthorized", "not_found", "timeout", "rate_limited", "malformed", "http"]
FATAL: frozenset[str] = frozenset({"down", "unauthorized", "not_found"})


@dataclass(frozen=True)
class ChatReply:
    """A reply's text and the model the server says answered."""

    content: str
    model: str


@dataclass(frozen=True)
class ChatFailure:
    """Why no reply came, in one line."""

    kind: FailureKind
    detail: str

    @property
    def fatal(self) -> bool:
        """Whether every later request to this endpoint would fail the same way."""
        return self.kind in FATAL


def _httpx() -> Any:
    try:
        import httpx
    except ImportError as exc:
        raise NotInstalledError(
            "writer.backend openai needs httpx: pip install 'consolidate[llm]' (or set writer.backend: extractive)."
        ) from exc
    return httpx


class ChatClient:
    """One endpoint and model; `complete` is safe to call from several threads."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        temperature: float = 0.0,
        timeout_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._httpx = _httpx()
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.temperature = temperature
        self.timeout_s = timeout_s
        self.json_mode = True
        self._sleep = sleep
        headers = {"Content-Type": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
            headers["api-key"] = api_key  # Azure OpenAI's header
        self._client = self._httpx.Client(headers=headers, timeout=timeout_s)  # HTTPS_PROXY, NO_PROXY honoured

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def body(self, messages: Sequence[dict[str, str]]) -> dict[str, Any]:
        """The request body (temperature as configured; a JSON object asked for while the server accepts it)."""
        body: dict[str, Any] = {"model": self.model, "messages": list(messages), "temperature": self.temperature}
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        return body

    def complete(self, messages: Sequence[dict[str, str]]) -> ChatReply | ChatFailure:
        """Send one chat request; back off on 429 within `timeout_s`."""
        deadline = time.monotonic() + self.timeout_s
        attempt = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return ChatFailure("timeout", f"no reply within writer.timeout_s ({self.timeout_s:g} s)")
            found = self._post(messages, left)
            if not isinstance(found, float):
                return found
            wait = found if found > 0 else float(2**attempt)
            attempt += 1
            if time.monotonic() + wait >= deadline:
                return ChatFailure("rate_limited", f"still rate limited (HTTP 429) after {self.timeout_s:g} s")
            self._sleep(wait)

    def _post(self, messages: Sequence[dict[str, str]], left: float) -> ChatReply | ChatFailure | float:
        """One POST: a reply, a failure, or the seconds to wait after a 429 (0.0: the server named none)."""
        httpx = self._httpx
        try:
            response = self._client.post(self.url, json=self.body(messages), timeout=left)
            if response.status_code == 400 and self.json_mode and "response_format" in response.text:
                self.json_mode = False
                response = self._client.post(self.url, json=self.body(messages), timeout=left)
        except httpx.TimeoutException:
            return ChatFailure("timeout", f"no reply within writer.timeout_s ({self.timeout_s:g} s)")
        except httpx.HTTPError as exc:
            return ChatFailure("down", f"cannot reach {self.url} ({type(exc).__name__}: {exc})")
        if response.status_code == 429:
            return _retry_after(response.headers.get("Retry-After"))
        return _read(response, self.url)


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


def _read(response: Any, url: str) -> ChatReply | ChatFailure:
    status = int(response.status_code)
    if status in (401, 403):
        return ChatFailure("unauthorized", f"{url} refused the key (HTTP {status}); check writer.api_key_env")
    if status == 404:
        return ChatFailure("not_found", f"{url} answered HTTP 404; check writer.base_url and writer.model")
    if status >= 400:
        return ChatFailure("http", f"{url} answered HTTP {status}: {' '.join(response.text.split())[:200]}")
    try:
        data = response.json()
        content = data["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        return ChatFailure("malformed", f"{url} sent a reply that is not a chat completion")
    if not isinstance(content, str):
        return ChatFailure("malformed", f"{url} sent a chat completion without text")
    return ChatReply(content, str(data.get("model") or ""))
