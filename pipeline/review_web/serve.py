"""Start the review web app on 127.0.0.1 (uvicorn) and print the address with its access token."""

from __future__ import annotations

import logging
import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from pipeline.artifacts import review_dir
from pipeline.errors import PipelineError, StageError
from pipeline.review_web.app import Guard, create_app
from pipeline.review_web.store import ReviewStore

log = logging.getLogger(__name__)
HOST = "127.0.0.1"


def bind(port: int) -> socket.socket:
    """A listening socket on the loopback address only; a port in use is a one-line error.

    SO_REUSEADDR lets a server started right after the previous one stopped (Ctrl+C with a tab still open) take the
    same port although its old connections linger in TIME_WAIT; a port another program listens on stays refused.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        raise PipelineError(f"Cannot listen on {HOST}:{port} ({exc.strerror}); pass another --port (0: any).") from exc
    sock.listen(64)
    return sock


def serve(config: Path, port: int, open_browser: bool, echo: Callable[[str], None]) -> None:
    """Serve the review of the run `config` describes until interrupted (Ctrl+C).

    Args:
        config: the pipeline config of the run.
        port: port on 127.0.0.1 (0 picks a free one).
        open_browser: open the address in the default browser once the server is up.
        echo: prints a line for the user (the address, which holds the access token).
    """
    import uvicorn

    store = ReviewStore(config)
    if not store.question_ids():
        raise StageError(f"No review copies in {review_dir(store.cfg)}; run `consolidate run {config}` first.")
    sock = bind(port)
    port = sock.getsockname()[1]
    guard = Guard.new({f"{HOST}:{port}", f"localhost:{port}"})
    url = f"http://{HOST}:{port}/{guard.token}/"
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(store, guard),
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=2,  # Ctrl+C with a tab open: do not wait for its idle connections
        )
    )
    echo(f"Review run {store.cfg.run_name} at {url}")
    echo("Only this address (it holds a secret token) opens the review; press Ctrl+C to stop.")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
