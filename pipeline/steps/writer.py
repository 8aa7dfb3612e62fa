"""The writer's I/O: model replies from the run's cache or the endpoint, for the findings step.

Every reply received is kept in `05_findings/writer_cache/` (one JSON file per model and prompt checksum, with the
messages sent), so a rerun of the same inputs reads the cache and needs no endpoint: its outputs are the same bytes.
A failure (endpoint down, 401, timeout, a reply that is not a chat completion) is one warning line per cause; the
findings it concerns keep their extractive text. After a fatal failure (down, 401, 404) nothing more is sent.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.artifacts import RunPaths, read_json, write_json
from pipeline.config import PipelineConfig, WriterConfig
from pipeline.llm import ChatClient, ChatFailure
from pipeline.stages.shared.indexed import Indexed
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.stages.writer import NoReply, Outcome, Request, apply_outcomes, build_requests, write_one

REPLY_TOKENS = 120  # what a reply of a title, a sentence and three ids costs, about


def cache_file(folder: Path, model: str, request: Request) -> Path:
    """Where the reply to a request by a model is kept: named by the hash of both."""
    key = hashlib.sha256(f"{model} {request.checksum}".encode()).hexdigest()
    return folder / f"{key}.json"


def cached_reply(folder: Path, model: str, request: Request) -> str | None:
    """The cached reply to a request, if any (a cache file for another prompt is never read)."""
    path = cache_file(folder, model, request)
    if not path.is_file():
        return None
    data = read_json(path)
    ok = isinstance(data, dict) and data.get("prompt_sha256") == request.checksum and data.get("model") == model
    return str(data["reply"]) if ok and isinstance(data.get("reply"), str) else None


@dataclass
class _Asker:
    """Answers `write_one`'s questions from the cache, else from the endpoint; counts and failures recorded."""

    cfg: WriterConfig
    folder: Path
    counts: Counter[str] = field(default_factory=Counter)
    served_by: set[str] = field(default_factory=set)
    _client: ChatClient | None = None
    _stopped: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def model(self) -> str:
        return self.cfg.model or ""

    def __call__(self, request: Request) -> str | NoReply:
        found = cached_reply(self.folder, self.model, request)
        if found is not None:
            with self._lock:
                self.counts["cached"] += 1
            return found
        client = self._connect()
        if isinstance(client, NoReply):
            return client
        reply = client.complete(request.messages)
        if isinstance(reply, ChatFailure):
            return self._failed(reply)
        record: dict[str, Any] = {"model": self.model, "prompt_sha256": request.checksum, "served_by": reply.model}
        record |= {"messages": list(request.messages), "reply": reply.content}
        write_json(cache_file(self.folder, self.model, request), record)
        with self._lock:
            self.counts["sent"] += 1
            self.served_by.add(reply.model)
        return reply.content

    def _connect(self) -> ChatClient | NoReply:
        with self._lock:
            if self._stopped is not None:
                return NoReply(self._stopped)
            if self._client is None:
                key = os.environ.get(self.cfg.api_key_env) if self.cfg.api_key_env else None
                if self.cfg.api_key_env and not key:
                    self._stopped = f"the environment variable {self.cfg.api_key_env} (writer.api_key_env) is not set"
                    return NoReply(self._stopped)
                base, model = self.cfg.base_url or "", self.model
                self._client = ChatClient(base, model, key, self.cfg.temperature, self.cfg.timeout_s)
            return self._client

    def _failed(self, failure: ChatFailure) -> NoReply:
        if failure.fatal:
            with self._lock:
                self._stopped = self._stopped or failure.detail
        return NoReply(failure.detail)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def writer_requests(
    cfg: PipelineConfig,
    drafts: dict[str, QuestionDraft],
    statements: pd.DataFrame,
    vectors: Mapping[str, np.ndarray | Indexed],
) -> list[Request]:
    """The requests a run sends: one per top finding of every question."""
    share = cfg.findings.language_share
    return build_requests(drafts, statements, vectors, cfg.writer, cfg.report.language, share)


def write_findings(
    cfg: PipelineConfig,
    paths: RunPaths,
    drafts: dict[str, QuestionDraft],
    statements: pd.DataFrame,
    vectors: Mapping[str, np.ndarray | Indexed],
) -> tuple[dict[str, QuestionDraft], dict[str, Any]]:
    """The drafts with model-written titles and sentences where the replies were grounded, and the writer's facts.

    Facts: base URL, model, the models the server said answered, requests, replies sent for and taken from the
    cache, findings written and fallen back, and one warning line per cause of a fallback.
    """
    requests = writer_requests(cfg, drafts, statements, vectors)
    asker = _Asker(cfg.writer, paths.writer_cache)
    try:
        with ThreadPoolExecutor(max_workers=cfg.writer.max_concurrency) as pool:
            results = list(pool.map(lambda r: write_one(r, asker), requests))
    finally:
        asker.close()
    outcomes = {r.finding_id: outcome for r, (outcome, _) in zip(requests, results, strict=True)}
    written = apply_outcomes(drafts, outcomes, asker.model, statements)
    asked = [f.written for d in written.values() for f in d.findings if f.written is not None]
    fell_back = sum(w.fallback is not None for w in asked)
    return written, _facts(cfg.writer, requests, [o for o, _ in results], asker, fell_back)


def _facts(
    cfg: WriterConfig, requests: list[Request], outcomes: list[Outcome], asker: _Asker, fell_back: int
) -> dict[str, Any]:
    failed = Counter(o.fallback or "" for o in outcomes if o.no_reply)
    warnings = [f"writer: {_findings(n)} kept the extractive text: {reason}" for reason, n in failed.items()]
    rejected = fell_back - sum(failed.values())
    if rejected:
        warnings.append(
            f"writer: the model's text for {_findings(rejected)} failed the checks, also when asked again, or "
            "repeated a title (why: in the draft); they kept the extractive text"
        )
    facts = {
        "base_url": cfg.base_url,
        "model": cfg.model,
        "served_by": sorted(asker.served_by),
        "requests": len(requests),
        "sent": asker.counts["sent"],
        "cached": asker.counts["cached"],
        "written": len(outcomes) - fell_back,
        "fell_back": fell_back,
    }
    return {"writer": facts, "warnings": warnings}


def _findings(n: int) -> str:
    return "1 finding" if n == 1 else f"{n} findings"


@dataclass(frozen=True)
class WriterPlan:
    """What a run would send: requests and about how many tokens, and how many replies are already cached."""

    requests: int
    cached: int
    prompt_tokens: int
    reply_tokens: int


def plan(cfg: PipelineConfig, paths: RunPaths, requests: list[Request]) -> WriterPlan:
    """Count the requests, their tokens (about four characters a token) and those already cached; sends nothing."""
    model = cfg.writer.model or ""
    cached = sum(cached_reply(paths.writer_cache, model, r) is not None for r in requests)
    chars = sum(r.chars for r in requests)
    return WriterPlan(len(requests), cached, chars // 4, REPLY_TOKENS * len(requests))
