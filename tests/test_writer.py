"""The writer end to end: titles and sentences by a model at a real OpenAI-compatible server on loopback."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import THEMES
from tests.hardening_helpers import Project, cli, one_line_error
from tests.llm_stub import STUB_MODEL, Reply, StubServer, completion, grounded

pytestmark = pytest.mark.usefixtures("fake_model")

EMAIL = "jane.doe@example.org"
PHONE = "+44 20 7946 0958"


def _export() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "What is the main weakness?"])
    n = 0
    for theme, variants in THEMES.items():
        for k in range(8):
            n += 1
            text = f"{variants[k % len(variants)].capitalize()} {theme} number {k}."
            if n == 2:
                text = f"{text[:-1]}, write to {EMAIL} or call {PHONE}."
            writer.writerow([f"R{n:03d}", text])
    return out.getvalue()


def _config(project: Project, url: str, **writer: Any) -> Path:
    return project.config(
        input={"path": project.csv("survey.csv", _export()), "id_column": "ID", "mask": []},
        questions=[
            {"column": "ID", "id": "id", "kind": "ignore"},
            {"column": "What is the main weakness?", "id": "weak", "kind": "open"},
        ],
        writer={"backend": "openai", "base_url": url, "model": STUB_MODEL, "max_concurrency": 2, **writer},
        report={"formats": ["md", "html", "docx"]},
    )


@pytest.fixture
def server() -> Iterator[StubServer]:
    stub = StubServer().start()
    yield stub
    stub.stop()


def _manifest(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((project.run_dir() / "manifest.json").read_text())
    return data


def _findings(project: Project) -> list[dict[str, Any]]:
    data = json.loads((project.run_dir() / "05_findings" / "findings.json").read_text())
    return [f for f in data["weak"]["findings"]][: data["weak"]["top_n"]]


def _outputs(project: Project) -> dict[str, bytes]:
    run = project.run_dir()
    files = [run / "05_findings" / "findings.json", *sorted((run / "06_draft").glob("*.*"))]
    files += [run / "07_report" / f"report.{ext}" for ext in ("md", "html", "docx")]
    kept = [p for p in files if not p.name.startswith(".") and not p.name.endswith(".rerun.md")]  # run history
    return {str(p.relative_to(run)): p.read_bytes() for p in kept}


def test_titles_and_sentences_reach_the_draft_and_the_report(project: Project, server: StubServer) -> None:
    result = cli("run", _config(project, server.url))
    assert result.exit_code == 0, result.output
    top = _findings(project)
    assert top and all(f["title"].startswith("Respondents raise ") for f in top)
    assert all(f["summary"].startswith("Respondents in this group said") for f in top)
    assert all(f["written"]["extractive_title"] and not f["written"]["fallback"] for f in top)
    draft = (project.run_dir() / "06_draft" / "weak.md").read_text()
    assert draft.count(f"**Written by the language model {STUB_MODEL.replace('-', '-')}**") == len(top)
    assert top[0]["written"]["cited"][0]["text"] in draft.replace("\\", "")
    report = (project.run_dir() / "07_report" / "report.md").read_text()
    assert all(f["title"] in report for f in top)
    assert f"language model {STUB_MODEL}" in report.replace("\\", "") and server.url in report.replace("\\", "")
    writer = _manifest(project)["writer"]
    assert writer["model"] == STUB_MODEL and writer["base_url"] == server.url
    assert (writer["requests"], writer["sent"], writer["cached"]) == (len(top), len(top), 0)
    assert (writer["written"], writer["fell_back"], writer["served_by"]) == (len(top), 0, [STUB_MODEL])
    body = server.bodies[0]
    assert body["model"] == STUB_MODEL and body["temperature"] == 0.0
    assert body["response_format"] == {"type": "json_object"}


def test_rerun_with_the_server_stopped_is_byte_identical(project: Project, server: StubServer) -> None:
    config = _config(project, server.url)
    assert cli("run", config).exit_code == 0
    first = _outputs(project)
    server.stop()
    result = cli("run", config, "--force")
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    assert _outputs(project) == first
    writer = _manifest(project)["writer"]
    assert writer["sent"] == 0 and writer["cached"] == writer["requests"] > 0


def test_analyst_edits_win_over_model_text(project: Project, server: StubServer) -> None:
    config = _config(project, server.url)
    assert cli("run", config).exit_code == 0
    review = project.root / "reviews" / "survey" / "weak.yaml"
    data = yaml.safe_load(review.read_text())
    data["findings"][0]["title"] = "Analyst title"
    review.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert cli("run", config, "--force").exit_code == 0
    kept = yaml.safe_load(review.read_text())["findings"][0]
    assert kept["title"] == "Analyst title" and kept["summary"] == kept["written"]["summary"]
    draft = (project.run_dir() / "06_draft" / "weak.md").read_text()
    assert "**Analyst title:**" in draft and "**Written by the language model stub-model-1** (sentence)" in draft


def _always(content: str) -> Any:
    return lambda body, count: completion(content)


def test_reply_citing_ids_that_were_not_sent_is_retried_then_falls_back(project: Project) -> None:
    stub = StubServer(_always('{"title": "Made up theme here", "summary": "A thing.", "quote_ids": ["X9"]}'))
    with _serving(stub):
        result = cli("run", _config(project, stub.url))
    assert result.exit_code == 0, result.output
    top = _findings(project)
    assert len(stub.bodies) == 2 * len(top)  # each asked twice: once, then with what was wrong
    retries = [b["messages"][-1]["content"] for b in stub.bodies if len(b["messages"]) == 4]
    assert len(retries) == len(top) and all("quote ids X9 are not among the answers sent" in r for r in retries)
    assert all(f["title"] == f["written"]["extractive_title"] and "X9" in f["written"]["fallback"] for f in top)
    assert "failed the checks" in result.output
    assert "Extractive text kept" in (project.run_dir() / "06_draft" / "weak.md").read_text()
    assert _manifest(project)["writer"]["fell_back"] == len(top)


def test_a_bad_first_reply_is_fixed_by_the_retry(project: Project) -> None:
    def behaviour(body: dict[str, Any], count: int) -> Reply:
        return grounded(body, count) if len(body["messages"]) > 2 else completion("I think the theme is funding.")

    stub = StubServer(behaviour)
    with _serving(stub):
        assert cli("run", _config(project, stub.url)).exit_code == 0
    top = _findings(project)
    assert all(f["title"].startswith("Respondents raise") for f in top)
    retries = [b["messages"][-1]["content"] for b in stub.bodies if len(b["messages"]) == 4]
    assert len(retries) == len(top) and all(
        r.startswith("Your reply could not be used: the reply is not JSON") for r in retries
    )


def test_non_json_reply_falls_back_with_a_warning(project: Project) -> None:
    stub = StubServer(_always("Sure! Here are some themes: funding, coordination."))
    with _serving(stub):
        result = cli("run", _config(project, stub.url))
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert all("not JSON" in (f["written"]["fallback"] or "") for f in _findings(project))
    assert "Warning: findings: writer:" in result.output


def test_rate_limit_then_success(project: Project) -> None:
    def behaviour(body: dict[str, Any], count: int) -> Reply:
        return (429, {"Retry-After": "0.05"}, "slow down") if count < 2 else grounded(body, count)

    stub = StubServer(behaviour)
    with _serving(stub):
        result = cli("run", _config(project, stub.url, max_concurrency=1))
    assert result.exit_code == 0, result.output
    top = _findings(project)
    assert len(stub.bodies) == len(top) + 2
    assert all(not f["written"]["fallback"] for f in top) and "Warning" not in result.output


def test_timeout_falls_back_in_one_line(project: Project) -> None:
    def behaviour(body: dict[str, Any], count: int) -> Reply:
        time.sleep(1.5)
        return grounded(body, count)

    stub = StubServer(behaviour)
    with _serving(stub):
        result = cli("run", _config(project, stub.url, timeout_s=0.3, max_concurrency=4))
    assert result.exit_code == 0, result.output
    top = _findings(project)
    assert all("no reply within writer.timeout_s (0.3 s)" in f["written"]["fallback"] for f in top)
    warnings = [line for line in result.output.splitlines() if "writer:" in line]
    assert warnings == [
        f"Warning: findings: writer: {len(top)} findings kept the extractive text: no reply within "
        "writer.timeout_s (0.3 s)"
    ]


def test_401_stops_sending_and_says_which_setting(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUB_KEY", "secret-123")
    stub = StubServer(lambda body, count: (401, {}, '{"error": "bad key"}'))
    with _serving(stub):
        result = cli("run", _config(project, stub.url, api_key_env="STUB_KEY", max_concurrency=1))
    assert result.exit_code == 0, result.output
    assert len(stub.bodies) == 1  # nothing more is sent after a 401
    assert stub.headers[0]["Authorization"] == "Bearer secret-123"
    assert "refused the key (HTTP 401); check writer.api_key_env" in result.output
    assert "secret-123" not in json.dumps(_manifest(project))
    assert all(f["written"]["fallback"] for f in _findings(project))


def test_endpoint_down_is_one_warning(project: Project) -> None:
    stub = StubServer()
    url = stub.url
    stub._server.server_close()  # nothing listens there
    result = cli("run", _config(project, url))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "writer:" in line]
    assert len(warnings) == 1 and "cannot reach" in warnings[0]
    assert (project.run_dir() / "07_report" / "report.md").is_file()


def test_contact_details_in_answers_never_reach_the_server(project: Project, server: StubServer) -> None:
    assert cli("run", _config(project, server.url)).exit_code == 0
    answers = (project.run_dir() / "01_ingest" / "answers.parquet").read_bytes()
    assert EMAIL.encode() in answers  # input.mask is off: the answer kept it
    assert server.bodies and EMAIL not in server.raw and "7946" not in server.raw
    assert "[email]" in server.raw and "[phone]" in server.raw
    assert "R001" in server.raw and "What is the main weakness?" in server.raw


def test_dry_run_counts_requests_and_sends_nothing(project: Project, server: StubServer) -> None:
    config = _config(project, server.url)
    result = cli("run", config, "--dry-run-writer")
    assert result.exit_code == 0, result.output
    assert "The writer would send 3 requests to stub-model-1" in result.output
    assert "0 of the replies are cached, so 3 would be sent. Nothing was sent." in result.output
    assert server.bodies == [] and not (project.run_dir() / "05_findings" / "findings.json").exists()
    assert cli("run", config).exit_code == 0
    again = cli("run", config, "--dry-run-writer")
    assert "3 of the replies are cached, so 0 would be sent." in again.output


def test_openai_backend_without_endpoint_is_a_one_line_config_error(project: Project) -> None:
    config = project.config(input={"path": project.csv("s.csv", _export())}, writer={"backend": "openai"})
    assert "needs base_url and model" in one_line_error(cli("run", config))


class _serving:
    def __init__(self, stub: StubServer) -> None:
        self.stub = stub

    def __enter__(self) -> StubServer:
        return self.stub.start()

    def __exit__(self, *exc: object) -> None:
        self.stub.stop()


def test_without_httpx_the_run_says_which_extra_to_install(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "httpx", None)  # `import httpx` now fails as when it is not installed
    message = one_line_error(cli("run", _config(project, "http://127.0.0.1:9/v1")))
    assert "pip install 'consolidate[llm]'" in message and "writer.backend: extractive" in message
