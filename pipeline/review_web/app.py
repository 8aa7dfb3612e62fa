"""The review web application (Starlette): pages, the edit API, and the guards around them.

Guards, on every request: the Host header must be the loopback address the server listens on (no DNS
rebinding); the path must start with the random access token (else 403); every write is a JSON POST carrying the
page's CSRF token in `X-CSRF-Token` and, when the browser sends one, a same-origin `Origin` (else 403). Every
response forbids framing, sniffing, caching and referrers, and carries a Content-Security-Policy that allows only
this server's own script, style and requests. Templates escape every value (Jinja2 autoescape); the script sets
text, and HTML only from this server's own fragments (the changed parts of a page after an edit, a page of
statements), rendered by the same escaping templates.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from pipeline.errors import PipelineError
from pipeline.messages import Messages
from pipeline.review_web.edits import Edit, EditError, describe
from pipeline.review_web.store import Loaded, ReviewStore, StaleError
from pipeline.review_web.view import question_page, search, who_lines

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"
FORBIDDEN = "Forbidden: open the address `consolidate review serve` printed (it holds the access token)."


@dataclass(frozen=True)
class Guard:
    """The secrets and addresses a request is checked against."""

    token: str
    csrf: str
    hosts: frozenset[str]

    @classmethod
    def new(cls, hosts: set[str]) -> Guard:
        """Fresh random tokens for one server run."""
        return cls(secrets.token_urlsafe(24), secrets.token_urlsafe(24), frozenset(hosts))

    def refusal(self, request: Request) -> str | None:
        """Why a request is refused, or None when it may go on."""
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return f"Forbidden: unexpected Host {host!r}; use the address `consolidate review serve` printed."
        prefix = request.url.path.split("/")[1] if request.url.path.count("/") >= 1 else ""
        if not secrets.compare_digest(prefix.encode(), self.token.encode()):
            return FORBIDDEN
        if request.method not in ("GET", "HEAD"):
            return self._write_refusal(request, host)
        return None

    def _write_refusal(self, request: Request, host: str) -> str | None:
        sent = request.headers.get("x-csrf-token", "")
        if not secrets.compare_digest(sent.encode(), self.csrf.encode()):
            return "Forbidden: missing or wrong CSRF token; reload the page and try again."
        origin = request.headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return f"Forbidden: a write from another site ({origin}) was refused."
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return "Forbidden: writes must be JSON."
        return None


def _headers(response: Response, csp: str) -> Response:
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _guard_middleware(guard: Guard) -> Middleware:
    async def dispatch(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        reason = guard.refusal(request)
        response = PlainTextResponse(reason, status_code=403) if reason else await call_next(request)
        csp = REPORT_CSP if request.url.path == f"/{guard.token}/report" else CSP
        return _headers(response, csp)

    return Middleware(BaseHTTPMiddleware, dispatch=dispatch)


class Pages:
    """Request handlers over one run's review store."""

    def __init__(self, store: ReviewStore, guard: Guard) -> None:
        self.store = store
        self.guard = guard
        self.env = Environment(loader=PackageLoader("pipeline.review_web", "templates"), autoescape=True)

    def _page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        base = {"base": f"/{self.guard.token}", "csrf": self.guard.csrf, "run": self.store.cfg.run_name}
        html = self.env.get_template(template).render(**base, **context)
        return HTMLResponse(html, status_code=status)

    async def index(self, request: Request) -> Response:
        """The run's open questions with their review progress."""
        rows = []
        for qid in self.store.question_ids():
            try:
                rows.append({"id": qid, "draft": self.store.load(qid).draft, "error": ""})
            except PipelineError as exc:
                rows.append({"id": qid, "draft": None, "error": str(exc)})
        has_report = self.store.paths.report("html").is_file()
        return self._page("index.html", questions=rows, has_report=has_report)

    def _unknown(self, qid: str) -> Response | None:
        if qid in self.store.question_ids():
            return None
        return self._page(
            "error.html", status=404, message=f"There is no question {qid!r} in run {self.store.cfg.run_name}."
        )

    async def _load_page(self, qid: str) -> Loaded | Response:
        """A question's review copy, or the error page: 404 for an unknown question, 409 for an unreadable copy."""
        if (missing := self._unknown(qid)) is not None:
            return missing
        try:
            return await run_in_threadpool(self.store.load, qid)
        except PipelineError as exc:
            return self._page("error.html", status=409, message=str(exc))

    def _context(self, qid: str, loaded: Loaded, languages: list[str] | None = None) -> dict[str, Any]:
        said = self.store.who(loaded.draft)
        page = question_page(loaded.draft, languages, lambda finding: who_lines(finding, said), self.store.unit(qid))
        lead = said.linked_lead(Messages("en")) or ""
        return {"page": page, "version": loaded.version, "can_undo": self.store.can_undo(qid), "linked_lead": lead}

    def _live(self, qid: str, loaded: Loaded) -> str:
        """The HTML of the parts of the question page an edit can change (`_live.html`)."""
        base = {"base": f"/{self.guard.token}", "csrf": self.guard.csrf, "run": self.store.cfg.run_name}
        return self.env.get_template("_live.html").render(**base, **self._context(qid, loaded))

    async def question(self, request: Request) -> Response:
        """One question's findings and edit controls (its statements are fetched on demand)."""
        qid = request.path_params["qid"]
        loaded = await self._load_page(qid)
        if isinstance(loaded, Response):
            return loaded
        has_report = self.store.paths.report("html").is_file()
        languages = self.store.languages(qid, loaded)
        try:  # read now, so that the first edit is as quick as the next; an unreadable one is reported by the edit
            await run_in_threadpool(self.store.warm, qid)
        except PipelineError:
            pass
        return self._page("question.html", has_report=has_report, **self._context(qid, loaded, languages))

    async def live(self, request: Request) -> Response:
        """The changing parts of a question page, as it is on disk now (after a refused write, or another tab's)."""
        qid = request.path_params["qid"]
        try:
            loaded = await run_in_threadpool(self.store.load, qid)
        except PipelineError as exc:
            return JSONResponse({"error": str(exc)}, status_code=404 if self._unknown(qid) else 409)
        return JSONResponse(self._written(qid, loaded, ""))

    async def statements(self, request: Request) -> Response:
        """One page of a question's statements (HTML rows): `q` words or response id, `lang`, `finding`, `page`."""
        qid = request.path_params["qid"]
        loaded = await self._load_page(qid)
        if isinstance(loaded, Response):
            return loaded
        params = request.query_params
        page_no = int(params["page"]) if params.get("page", "").isdigit() else 1
        rows = self.store.rows(qid, loaded)
        found = search(
            loaded.draft, rows, params.get("q", "")[:500], params.get("lang", ""), params.get("finding", ""), page_no
        )
        html = self.env.get_template("_statements.html").render(
            results=found, languages=any(r.language for r in rows), where=params.get("where", "")
        )
        return HTMLResponse(html)

    def _written(self, qid: str, loaded: Loaded, message: str) -> dict[str, Any]:
        return {
            "ok": True,
            "version": loaded.version,
            "message": message,
            "html": self._live(qid, loaded),
            "can_undo": self.store.can_undo(qid),
        }

    async def report(self, request: Request) -> Response:
        """The run's HTML report (no script may run in it)."""
        path = self.store.paths.report("html")
        if not path.is_file():
            return self._page("error.html", status=404, message="No report yet: press Rebuild first.")
        return FileResponse(path, media_type="text/html")

    async def edit(self, request: Request) -> Response:
        """Apply one edit (JSON `{version, edit}`) to a question's review copy."""

        def action(qid: str, body: dict[str, Any]) -> tuple[Loaded, str]:
            edit = Edit(**body["edit"])
            before = self.store.load(qid).draft
            loaded = self.store.edit(qid, edit, body["version"])
            return loaded, describe(edit, before, loaded.draft)

        return await self._write(request, action)

    async def undo(self, request: Request) -> Response:
        """Undo this server's last edit of a question."""
        return await self._write(request, lambda qid, body: (self.store.undo(qid, body["version"]), "Undone."))

    async def _write(self, request: Request, action: Callable[[str, dict[str, Any]], tuple[Loaded, str]]) -> Response:
        try:
            body = json.loads(await request.body())
            if not isinstance(body, dict) or not isinstance(body.get("version"), str):
                raise EditError("A write must send the page's `version`.")
            qid = request.path_params["qid"]
            loaded, message = await run_in_threadpool(action, qid, body)
        except StaleError as exc:
            return JSONResponse({"error": str(exc), "stale": True}, status_code=409)
        except (ValidationError, ValueError, KeyError, TypeError) as exc:
            return JSONResponse({"error": f"Malformed edit ({type(exc).__name__}); reload the page."}, 400)
        except PipelineError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(await run_in_threadpool(self._written, qid, loaded, message))

    async def rebuild(self, request: Request) -> Response:
        """Rerun findings -> draft -> report and return what changed."""
        try:
            result = await run_in_threadpool(self.store.rebuild)
        except PipelineError as exc:
            return JSONResponse({"error": f"Rebuild failed: {exc}"}, status_code=500)
        return JSONResponse(result)


def create_app(store: ReviewStore, guard: Guard) -> Starlette:
    """The application for one run, behind `guard`."""
    pages = Pages(store, guard)
    routes = [
        Route("/", pages.index),
        Route("/q/{qid}", pages.question),
        Route("/q/{qid}/live", pages.live),
        Route("/q/{qid}/statements", pages.statements),
        Route("/report", pages.report),
        Route("/api/q/{qid}/edit", pages.edit, methods=["POST"]),
        Route("/api/q/{qid}/undo", pages.undo, methods=["POST"]),
        Route("/api/rebuild", pages.rebuild, methods=["POST"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Starlette(routes=[Mount(f"/{guard.token}", routes=routes)], middleware=[_guard_middleware(guard)])
