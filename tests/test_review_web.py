"""The review web app in-process (Starlette TestClient): token, CSRF, escaping, stale writes, undo, every edit."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli import app as cli_app
from pipeline.config import load_config
from pipeline.review_web.app import Guard, create_app
from pipeline.review_web.edits import Edit, EditError, apply_edit
from pipeline.review_web.store import ReviewStore, Statement
from pipeline.runner import run_stages
from pipeline.stages.review import reconcile
from pipeline.stages.shared.sidecar import SubPoint
from pipeline.steps.review import read_draft
from tests.stages.review_helpers import generated, sid
from tests.test_review_e2e import SAMPLE_CONFIG, write_config

QUESTION = "threats"
HOSTILE = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))"]

pytestmark = pytest.mark.skipif(not SAMPLE_CONFIG.is_file(), reason="no sample config")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("review_web")
    config = write_config(tmp, "sample")
    run_stages(load_config(config))
    return config


@pytest.fixture
def client(sample_run: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Guard, Path]]:
    """A client of a fresh copy of the sample's review folder (the run folder is shared)."""
    data = yaml.safe_load(sample_run.read_text(encoding="utf-8"))
    shutil.copytree(sample_run.parent / "reviews", tmp_path / "reviews")
    data["review"] = {"dir": str(tmp_path / "reviews")}
    config = tmp_path / "sample.yaml"
    config.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    guard = Guard("tok3n", "csrf-secret", frozenset({"testserver"}))
    with TestClient(create_app(ReviewStore(config), guard)) as test_client:
        yield test_client, guard, tmp_path / "reviews" / "sample" / f"{QUESTION}.yaml"


def version(client: TestClient) -> str:
    page = client.get(f"/tok3n/q/{QUESTION}").text
    return page.split('data-version="', 1)[1].split('"', 1)[0]


def post(client: TestClient, path: str, body: dict[str, Any], **headers: str) -> Any:
    sent = {"X-CSRF-Token": "csrf-secret", "Content-Type": "application/json", **headers}
    return client.post(f"/tok3n{path}", json=body, headers=sent)


def test_requests_without_the_token_get_403(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, _ = client
    for path in ("/", "/tok3/", "/tok3nX/", f"/q/{QUESTION}", "/static/app.js", "/favicon.ico", "/api/rebuild"):
        assert c.get(path).status_code == 403, path
    assert c.post("/api/rebuild").status_code == 403
    assert c.get("/tok3n/", headers={"Host": "evil.example:8765"}).status_code == 403
    ok = c.get("/tok3n/")
    assert ok.status_code == 200 and f"/tok3n/q/{QUESTION}" in ok.text
    assert c.get("/tok3n/static/app.js").status_code == 200


def test_writes_need_the_csrf_token_and_json(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, review = client
    before = review.read_bytes()
    body = {"version": version(c), "edit": {"kind": "status", "finding": read_draft(review).findings[0].id}}
    body["edit"]["text"] = "accepted"
    assert c.post(f"/tok3n/api/q/{QUESTION}/edit", json=body).status_code == 403
    assert post(c, f"/api/q/{QUESTION}/edit", body, **{"X-CSRF-Token": "guess"}).status_code == 403
    assert post(c, f"/api/q/{QUESTION}/edit", body, Origin="http://evil.example").status_code == 403
    form = c.post(
        f"/tok3n/api/q/{QUESTION}/edit",
        content="version=x",
        headers={"X-CSRF-Token": "csrf-secret", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 403
    assert review.read_bytes() == before
    accepted = post(c, f"/api/q/{QUESTION}/edit", body, Origin="http://testserver")
    assert accepted.status_code == 200, accepted.text
    assert read_draft(review).findings[0].status == "accepted"


def test_hostile_answers_and_titles_are_escaped(
    client: tuple[TestClient, Guard, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    c, _, review = client
    draft = read_draft(review)
    first = draft.findings[0]
    hostile = {s: Statement(HOSTILE[i % 3], "R1") for i, s in enumerate(first.members)}
    monkeypatch.setattr(ReviewStore, "statements", lambda self: hostile)
    for kind, text in (("title", HOSTILE[0]), ("summary", HOSTILE[1]), ("note", HOSTILE[2])):
        edit = {"kind": kind, "finding": first.id, "text": text}
        assert post(c, f"/api/q/{QUESTION}/edit", {"version": version(c), "edit": edit}).status_code == 200
    page = c.get(f"/tok3n/q/{QUESTION}")
    html = page.text
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.count("<script") == 1  # the page's own script, from this server
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"
    links = re.findall(r'(?:src|href|action)="([^"]*)"', html)
    assert links and all(link.startswith("/tok3n/") for link in links), links  # nothing loaded from elsewhere


def test_a_write_on_a_file_changed_on_disk_is_refused_and_nothing_is_lost(
    client: tuple[TestClient, Guard, Path],
) -> None:
    c, _, review = client
    seen = version(c)
    elsewhere = review.read_text(encoding="utf-8").replace("status: draft", "status: accepted", 1)
    review.write_text(elsewhere, encoding="utf-8")
    first = read_draft(review).findings[0]
    edit = {"kind": "title", "finding": first.id, "text": "Typed in the browser"}
    refused = post(c, f"/api/q/{QUESTION}/edit", {"version": seen, "edit": edit})
    assert refused.status_code == 409 and refused.json()["stale"] is True
    assert "changed on disk since this page was loaded" in refused.json()["error"]
    assert review.read_text(encoding="utf-8") == elsewhere
    assert post(c, f"/api/q/{QUESTION}/edit", {"version": version(c), "edit": edit}).status_code == 200
    after = read_draft(review).findings
    assert any(f.title == "Typed in the browser" for f in after) and first.status == "accepted"


def test_undo_puts_back_the_exact_bytes_and_edits_keep_comments(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, review = client
    text = review.read_text(encoding="utf-8").replace("question_id: threats\n", "question_id: threats  # mine\n")
    review.write_text(text, encoding="utf-8")
    first = read_draft(review).findings[0]
    for title in ("One", "Two"):
        edit = {"kind": "title", "finding": first.id, "text": title}
        assert post(c, f"/api/q/{QUESTION}/edit", {"version": version(c), "edit": edit}).status_code == 200
        assert "# mine" in review.read_text(encoding="utf-8")
    assert "Undo" in c.get(f"/tok3n/q/{QUESTION}").text
    assert post(c, f"/api/q/{QUESTION}/undo", {"version": version(c)}).status_code == 200
    assert read_draft(review).findings[0].title == "One"
    assert post(c, f"/api/q/{QUESTION}/undo", {"version": version(c)}).status_code == 200
    assert review.read_text(encoding="utf-8") == text
    nothing = post(c, f"/api/q/{QUESTION}/undo", {"version": version(c)})
    assert nothing.status_code == 400 and "Nothing to undo" in nothing.json()["error"]


def test_unknown_questions_and_malformed_edits_are_refused(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, review = client
    before = review.read_bytes()
    assert c.get("/tok3n/q/..%2F..%2Fetc").status_code in (404, 409)
    bad = post(c, "/api/q/nope/edit", {"version": "x", "edit": {"kind": "note", "finding": "x"}})
    assert bad.status_code == 400 and "no review copy" in bad.json()["error"]
    wrong_kind = post(c, f"/api/q/{QUESTION}/edit", {"version": version(c), "edit": {"kind": "rm -rf"}})
    assert wrong_kind.status_code == 400
    unknown = post(c, f"/api/q/{QUESTION}/edit", {"version": version(c), "edit": {"kind": "note", "finding": "zz"}})
    assert unknown.status_code == 400 and "no finding 'zz'" in unknown.json()["error"]
    assert review.read_bytes() == before


def test_serve_without_review_copies_is_a_one_line_error(tmp_path: Path) -> None:
    config = write_config(tmp_path, "empty")
    result = CliRunner().invoke(cli_app, ["review", "serve", str(config), "--no-browser", "--port", "0"])
    assert result.exit_code == 1 and "No review copies" in result.output and "consolidate run" in result.output


# --- the edits themselves, on a hand-made review copy --------------------------------------------------------

A = [sid(i) for i in range(1, 7)]
B = [sid(i) for i in range(7, 11)]
C = [sid(i) for i in range(11, 14)]


def base_copy() -> Any:
    return reconcile(None, generated([A, B, C], noise=[sid(20), sid(21)])).draft


def applied(draft: Any, **edit: Any) -> Any:
    """An edit applied, then reconciled as the store does."""
    gen = generated([A, B, C], noise=[sid(20), sid(21)])
    return reconcile(apply_edit(draft, Edit(**edit)), gen, gen).draft


def test_each_edit_writes_only_its_analyst_field_and_reconciles() -> None:
    d = base_copy()
    a, b, c = (f.id for f in d.findings)
    d = applied(d, kind="summary", finding=a, text="  New   summary ")
    assert d.findings[0].summary == "New summary"
    d = applied(d, kind="merge", finding=c, target=b)
    assert [m.id for m in d.merged] == [c] and set(C) <= set(next(f for f in d.findings if f.id == b).members)
    d = applied(d, kind="unmerge", finding=c)
    assert d.merged == [] and c in {f.id for f in d.findings}
    d = applied(d, kind="pin", finding=b, statements=[A[0], sid(20)])
    fb = next(f for f in d.findings if f.id == b)
    assert fb.pinned == [A[0], sid(20)] and {A[0], sid(20)} <= set(fb.members) and sid(20) not in d.not_grouped_members
    d = applied(d, kind="exclude", statements=[A[0], B[0]])
    fb = next(f for f in d.findings if f.id == b)
    assert fb.pinned == [sid(20)] and B[0] in fb.excluded and A[0] in d.not_grouped_members
    d = applied(d, kind="split", text="Travel", summary="Money.", statements=[A[1], A[2]])
    split = next(f for f in d.findings if f.title == "Travel")
    assert split.generated is None and split.id and split.members == [A[1], A[2]] and d.unapplied == []
    with pytest.raises(EditError, match="cannot be merged into itself"):
        apply_edit(d, Edit(kind="merge", finding=a, target=a))
    with pytest.raises(EditError, match="title cannot be empty"):
        apply_edit(d, Edit(kind="title", finding=a, text="  "))
    with pytest.raises(EditError, match="unknown statement"):
        apply_edit(d, Edit(kind="pin", finding=a, statements=["R999:q1:9"]))


def test_split_out_toggles_a_sub_point() -> None:
    d = base_copy()
    first = d.findings[0].model_copy(update={"subpoints": [SubPoint(id="q1-sp1", title="Part", members=A[:2])]})
    d = d.model_copy(update={"findings": [first, *d.findings[1:]]})
    out = apply_edit(d, Edit(kind="split_out", finding=first.id, target="q1-sp1"))
    assert out.findings[0].split_out == ["q1-sp1"]
    gen = generated([A, B, C], noise=[sid(20), sid(21)])
    assert reconcile(out, gen, gen).draft.findings[0].split_out == ["q1-sp1"]  # kept until the lead's stage applies it
    back = apply_edit(out, Edit(kind="keep_subpoint", finding=first.id, target="q1-sp1"))
    assert back.findings[0].split_out == []
    with pytest.raises(EditError, match="no sub-point"):
        apply_edit(d, Edit(kind="split_out", finding=first.id, target="nope"))


# --- issue 21: edits in place, statements on demand, quotes --------------------------------------------------


def edit(c: TestClient, **change: Any) -> Any:
    return post(c, f"/api/q/{QUESTION}/edit", {"version": version(c), "edit": change})


def test_an_edit_answers_with_the_changed_parts_and_names_findings_by_title(
    client: tuple[TestClient, Guard, Path],
) -> None:
    c, _, review = client
    page = c.get(f"/tok3n/q/{QUESTION}").text
    assert 'class="pick"' not in page  # statements are fetched on demand, not part of the page
    assert 'id="top-cut"' in page and "Keyboard" in page and 'id="search-q"' in page
    first, second = read_draft(review).findings[:2]
    answer = edit(c, kind="status", finding=first.id, text="accepted")
    data = answer.json()
    assert answer.status_code == 200 and data["message"] == f"“{first.title}”: accepted."
    assert data["html"].strip().startswith('<div id="live" data-version="' + data["version"])
    assert f'id="f-{first.id}"' in data["html"] and data["can_undo"] is True
    renamed = edit(c, kind="title", finding=second.id, text=first.title.upper()).json()["message"]
    assert renamed.startswith(f"Renamed “{second.title}” to") and "Warning: #1 is also called" in renamed
    assert "same title as #1" in c.get(f"/tok3n/q/{QUESTION}").text
    assert c.get("/tok3n/q/nope").status_code == 404
    assert c.get("/tok3n/q/nope/statements").status_code == 404


def test_statements_are_searched_filtered_and_paged(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, review = client
    draft = read_draft(review)
    first = draft.findings[0]

    def shown(query: str) -> list[str]:
        answer = c.get(f"/tok3n/q/{QUESTION}/statements?{query}")
        assert answer.status_code == 200
        return re.findall(r'<tr data-statement="([^"]+)"', answer.text)

    assert set(shown(f"finding={first.id}")) == set(first.members)
    assert set(shown("finding=-")) == set(draft.not_grouped_members)
    respondent = first.members[0].split(":")[0]
    assert {s.split(":")[0] for s in shown(f"q={respondent}")} == {respondent}
    assert all("developing" in c.get(f"/tok3n/q/{QUESTION}/statements?q=developing").text.casefold() for _ in [0])
    assert shown("q=no+such+words+anywhere") == []
    every = shown("page=1")
    assert 0 < len(every) <= 50


def test_statement_rows_sort_numbers_as_numbers() -> None:
    from pipeline.review_web.store import natural_key, statement_rows_of
    from pipeline.stages.shared.sidecar import QuestionDraft

    ids = ["1001:q:1", "100:q:2", "100:q:10", "99:q:1"]
    draft = QuestionDraft(question_id="q", question_text="Q", answered=4, non_answers=0, not_grouped=4, top_n=5)
    draft = draft.model_copy(update={"not_grouped_members": ids})
    rows = statement_rows_of(draft, {}, {})
    assert [r.id for r in rows] == ["99:q:1", "100:q:2", "100:q:10", "1001:q:1"]
    assert sorted(ids, key=natural_key) == [r.id for r in rows]


def test_quotes_are_added_ordered_removed_and_reset(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, review = client
    first = read_draft(review).findings[0]
    pipeline_quotes = list(first.quotes)
    new = next(s for s in first.members if s.split(":")[0] not in {q.response_id for q in first.quotes})
    assert edit(c, kind="quote", finding=first.id, statements=[new]).json()["message"].startswith("Added a quote")
    mine = next(f for f in read_draft(review).findings if f.id == first.id)
    assert mine.quotes_chosen and mine.quotes[-1].response_id == new.split(":")[0]
    last = str(len(mine.quotes) - 1)
    assert edit(c, kind="quote_up", finding=first.id, target=last).status_code == 200
    assert edit(c, kind="unquote", finding=first.id, target="0").status_code == 200
    mine = next(f for f in read_draft(review).findings if f.id == first.id)
    assert [q.response_id for q in mine.quotes] == [
        *[q.response_id for q in pipeline_quotes[1:-1]],
        new.split(":")[0],
        pipeline_quotes[-1].response_id,
    ]
    assert "in the report" in c.get(f"/tok3n/q/{QUESTION}").text
    outsider = read_draft(review).not_grouped_members[0]
    refused = edit(c, kind="quote", finding=first.id, statements=[outsider])
    assert refused.status_code == 400 and "only its own statements" in refused.json()["error"]
    assert edit(c, kind="quotes_reset", finding=first.id).status_code == 200
    mine = next(f for f in read_draft(review).findings if f.id == first.id)
    assert mine.quotes == pipeline_quotes and not mine.quotes_chosen


def test_the_cli_sets_the_quotes_of_a_finding(client: tuple[TestClient, Guard, Path]) -> None:
    _, _, review = client
    config = review.parents[2] / "sample.yaml"
    first = read_draft(review).findings[0]
    picked = [first.members[-1], first.members[0]]
    result = CliRunner().invoke(cli_app, ["review", "quotes", str(config), QUESTION, first.id, *picked])
    assert result.exit_code == 0, result.output
    mine = next(f for f in read_draft(review).findings if f.id == first.id)
    assert [q.response_id for q in mine.quotes] == [s.split(":")[0] for s in picked] and mine.quotes_chosen
    result = CliRunner().invoke(cli_app, ["review", "quotes", str(config), QUESTION, first.id, "--reset"])
    assert result.exit_code == 0 and not next(f for f in read_draft(review).findings if f.id == first.id).quotes_chosen


def test_keep_it_in_takes_back_a_sub_point_already_split_out() -> None:
    d = base_copy()
    first = d.findings[0].model_copy(
        update={"subpoints": [SubPoint(id="q1-sp1", title="Part", summary="A part.", members=A[:2])]}
    )
    d = d.model_copy(update={"findings": [first, *d.findings[1:]]})
    gen = generated([A, B, C], noise=[sid(20), sid(21)])
    out = reconcile(apply_edit(d, Edit(kind="split_out", finding=first.id, target="q1-sp1")), gen, gen).draft
    made = next(f for f in out.findings if f.id == "q1-sp1")
    assert made.members == A[:2] and made.summary == "A part."
    back = reconcile(apply_edit(out, Edit(kind="keep_subpoint", finding=first.id, target="q1-sp1")), gen, gen).draft
    assert "q1-sp1" not in {f.id for f in back.findings} and set(A[:2]) <= set(back.findings[0].members)
    assert back.unapplied == []


def test_a_new_finding_takes_its_summary() -> None:
    d = applied(base_copy(), kind="split", text="Travel", summary="People want cheaper buses.", statements=[A[1]])
    assert next(f for f in d.findings if f.title == "Travel").summary == "People want cheaper buses."


def test_a_merge_that_cannot_be_applied_can_be_unmerged(client: tuple[TestClient, Guard, Path]) -> None:
    c, _, review = client
    first = read_draft(review).findings[0]
    text = review.read_text(encoding="utf-8").replace("merge_into: null", "merge_into: threats-gone", 1)
    review.write_text(text, encoding="utf-8")
    page = c.get(f"/tok3n/q/{QUESTION}").text
    assert "could not be applied" in page and f'data-edit="unmerge" data-finding="{first.id}"' in page
    assert edit(c, kind="unmerge", finding=first.id).json()["message"] == f"Unmerged “{first.title}”."
    assert next(f for f in read_draft(review).findings if f.id == first.id).merge_into is None
