"""`consolidate review serve` driven by a real headless Chromium (Debian's chromium + chromium-driver).

On the sample's `threats` question a reviewer merges two findings, renames one, moves a statement, rejects one
and rebuilds; the review copy on disk must then hold exactly those edits, and `consolidate run` must keep them.
The test skips on a machine without Chromium, except under CI (CI=true), where it fails: `.ci/run` installs it.
Set REVIEW_SCREENSHOTS=DIR to save a screenshot of each screen (the README's come from `docs/`).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.config import load_config
from pipeline.runner import run_stages
from pipeline.stages.review.model import edits_of
from pipeline.stages.shared.sidecar import QuestionDraft
from pipeline.steps.review import read_draft
from tests.test_review_e2e import SAMPLE_CONFIG, write_config

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
QUESTION = "threats"
NEW_TITLE = "Developing countries left behind <b>"

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not SAMPLE_CONFIG.is_file(), reason="no sample config")]


def _require_browser() -> None:
    if CHROMIUM.is_file() and CHROMEDRIVER.is_file():
        return
    message = "needs Debian packages chromium and chromium-driver (apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(message + "; .ci/run installs them")
    pytest.skip(message)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The sample run (tfidf embedder) and `consolidate review serve` on a free port, as a subprocess."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("review_browser")
    config = write_config(tmp, "sample")
    run_stages(load_config(config))
    code = "from pipeline.launch import main; main()"
    args = [sys.executable, "-c", code, "review", "serve", str(config), "--port", "0", "--no-browser"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    url = next((w for w in first.split() if w.startswith("http://127.0.0.1:")), "")
    try:
        assert url, f"no address printed: {first!r}"
        yield {"url": url, "config": config, "review": tmp / "reviews" / "sample" / f"{QUESTION}.yaml", "tmp": tmp}
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(served: dict[str, Any]) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,1500",
        f"--user-data-dir={served['tmp'] / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver: Any, name: str) -> None:
    folder = os.environ.get("REVIEW_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def wait_applied(driver: Any, action: Any) -> str:
    """Run an edit and wait for its message; the page must not reload (edits are applied in place)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    driver.execute_script(
        "window.__stayed = true; document.getElementById('flash').hidden = true;"
        "document.getElementById('flash-text').textContent = '';"
    )
    action()
    text = ""

    def shown(d: Any) -> bool:
        nonlocal text
        text = d.find_element(By.ID, "flash-text").text
        return (
            bool(text)
            and d.find_element(By.ID, "flash").is_displayed()
            and not d.execute_script("return document.body.classList.contains('busy')")
        )

    WebDriverWait(driver, 60).until(shown)
    assert driver.execute_script("return window.__stayed === true"), "the page reloaded"
    return text


def active_id(driver: Any) -> str:
    """Id of the finding holding the focus (the element's own id when it is in none)."""
    return str(
        driver.execute_script(
            "const a = document.activeElement; const f = a.closest('article'); return f ? f.id : a.id;"
        )
    )


def open_statements(driver: Any, card: Any) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    card.find_element(By.TAG_NAME, "summary").click()
    WebDriverWait(driver, 30).until(lambda d: card.find_elements(By.CSS_SELECTOR, ".results input.pick"))
    return card


def finding(driver: Any, fid: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, f"f-{fid}")


def test_merge_rename_move_quote_reject_rebuild_then_run_keeps_the_edits(
    served: dict[str, Any], browser: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.support.wait import WebDriverWait

    before = read_draft(served["review"])
    f = [x.id for x in before.findings]
    titles = [x.title for x in before.findings]
    browser.get(served["url"])
    shot(browser, "review_questions")
    browser.find_element(By.PARTIAL_LINK_TEXT, "What are the main threats").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == before.question_text
    assert "the top 5 findings the report shows" in browser.find_element(By.ID, "top-cut").text

    # merge #4 into #3: chosen in a dialog (nothing pre-selected), then confirmed
    finding(browser, f[3]).find_element(By.CSS_SELECTOR, ".merge-open").click()
    target = Select(browser.find_element(By.ID, "merge-target"))
    assert target.first_selected_option.get_attribute("value") == ""
    target.select_by_value(f[2])
    message = wait_applied(browser, browser.find_element(By.ID, "merge-confirm").click)
    assert message == f"Merged “{titles[3]}” into “{titles[2]}”."
    # rename #1 (keyboard: e puts the cursor at the end of the title, Enter saves; the focus stays there)
    card = finding(browser, f[0])
    browser.execute_script("arguments[0].focus()", card)
    ActionChains(browser).send_keys("e").perform()
    title = browser.switch_to.active_element
    assert title.get_attribute("class") == "title-input"
    assert browser.execute_script("return document.activeElement.selectionStart") == len(titles[0])
    title.send_keys(Keys.ESCAPE)
    assert active_id(browser) == f"f-{f[0]}"  # Esc leaves the field, back on its finding
    ActionChains(browser).send_keys("e").perform()
    title = browser.switch_to.active_element
    title.clear()
    message = wait_applied(browser, lambda: title.send_keys(NEW_TITLE + Keys.ENTER))
    assert message == f"Renamed “{titles[0]}” to “{NEW_TITLE}”."
    assert active_id(browser) == f"f-{f[0]}"
    # move the first statement of #2 to #1 (tick it, m goes to the Move bar)
    card = open_statements(browser, finding(browser, f[1]))
    box = card.find_element(By.CSS_SELECTOR, "input.pick")
    moved = box.get_attribute("value")
    box.click()
    ActionChains(browser).send_keys("m").perform()
    assert browser.switch_to.active_element.get_attribute("id") == "move-target"
    Select(browser.find_element(By.ID, "move-target")).select_by_value(f[0])
    shot(browser, "review_question")
    move = browser.find_element(By.CSS_SELECTOR, "[data-selection=pin]")
    assert wait_applied(browser, move.click) == f"Moved 1 statement to “{NEW_TITLE}”."
    # quotes of #1: quote one of its statements, move it to the top, remove the pipeline's last one
    card = open_statements(browser, finding(browser, f[0]))
    quote_button = card.find_element(By.CSS_SELECTOR, ".results button[data-edit=quote]")
    quoted = quote_button.find_element(By.XPATH, "./ancestor::tr").find_element(By.CLASS_NAME, "text").text
    assert "Added a quote" in wait_applied(browser, quote_button.click)
    items = finding(browser, f[0]).find_elements(By.CSS_SELECTOR, ".quote-list li")
    assert quoted in items[-1].text
    while quoted not in finding(browser, f[0]).find_elements(By.CSS_SELECTOR, ".quote-list li")[0].text:
        last = finding(browser, f[0]).find_elements(By.CSS_SELECTOR, ".quote-list li")
        up = next(li for li in last if quoted in li.text).find_element(By.CSS_SELECTOR, "[data-edit=quote_up]")
        assert "up" in wait_applied(browser, up.click)
    items = finding(browser, f[0]).find_elements(By.CSS_SELECTOR, ".quote-list li")
    removed = items[-1].find_element(By.CLASS_NAME, "quote-text").text.strip("“”")
    wait_applied(browser, items[-1].find_element(By.CSS_SELECTOR, "[data-edit=unquote]").click)
    chosen = [q.text for q in by_id(read_draft(served["review"]), f[0]).quotes]
    assert chosen[0] == quoted and removed not in chosen
    shot(browser, "review_quotes")
    # reject #5 (keyboard: focus the finding, press r; the focus stays on it)
    card = finding(browser, f[4])
    browser.execute_script("arguments[0].scrollIntoView(); arguments[0].focus()", card)
    assert wait_applied(browser, ActionChains(browser).send_keys("r").perform).endswith(": rejected.")
    assert active_id(browser) == f"f-{f[4]}"
    ActionChains(browser).send_keys("j").perform()  # j goes on from there, not from #1
    order = [c.get_attribute("id") for c in browser.find_elements(By.CSS_SELECTOR, "article.finding")]
    assert active_id(browser) == order[order.index(f"f-{f[4]}") + 1]

    browser.find_element(By.ID, "rebuild").click()
    # the page may redraw the result box while the rebuild runs: an element found just before is then stale
    rebuilt = WebDriverWait(browser, 120, ignored_exceptions=(StaleElementReferenceException,))
    rebuilt.until(lambda d: d.find_element(By.ID, "rebuild-result").is_displayed())
    result = browser.find_element(By.ID, "rebuild-result").text
    assert f"{QUESTION}: " in result and "Open the updated report" in result
    assert browser.find_element(By.ID, "rebuilt-report").get_attribute("href").endswith("/report")
    shot(browser, "review_rebuild")

    expected = {
        (f[0], "title", ""),
        (f[0], "pin", moved),
        (f[0], "quotes", str(len(chosen))),
        (f[3], "merge_into", f[2]),
        (f[4], "status", "rejected"),
    }
    after = read_draft(served["review"])
    assert_exact_edits(after, expected, moved)
    report = (served["tmp"] / "outputs" / "sample" / "07_report" / "report.html").read_text(encoding="utf-8")
    assert "Developing countries left behind &lt;b&gt;" in report
    item = report.split("Developing countries left behind &lt;b&gt;", 1)[1].split("</li>", 1)[0]
    printed = [
        html.unescape(q).split("”", 1)[0].lstrip("“")
        for q in re.findall(r'<blockquote class="quote">(.*?)</blockquote>', item)
    ]
    assert printed == [" ".join(q.split()) for q in chosen]  # every chosen quote, in the analyst's order

    result = CliRunner().invoke(app, ["run", str(served["config"])])
    assert result.exit_code == 0, result.output
    assert_exact_edits(read_draft(served["review"]), expected, moved)
    assert [q.text for q in by_id(read_draft(served["review"]), f[0]).quotes] == chosen


def by_id(draft: QuestionDraft, fid: str) -> Any:
    return next(x for x in draft.findings if x.id == fid)


def assert_exact_edits(draft: QuestionDraft, expected: set[tuple[str, str, str]], moved: str | None) -> None:
    made = {(e.finding_id, e.kind, e.target) for f in (*draft.findings, *draft.merged) for e in edits_of(f)}
    assert made == expected
    assert draft.unapplied == [] and draft.vanished == []
    by_id = {x.id: x for x in draft.findings}
    first = next(x for x in draft.findings if x.title == NEW_TITLE)
    assert moved in first.members and by_id[first.id].pinned == [moved]
    merged = {x.id: x.merge_into for x in draft.merged}
    assert set(merged.values()) <= set(by_id)


def test_an_edit_on_a_file_changed_on_disk_is_refused_and_nothing_is_lost(served: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served["url"] + f"q/{QUESTION}")
    review: Path = served["review"]
    elsewhere = review.read_text(encoding="utf-8") + "# edited in a text editor meanwhile\n"
    review.write_text(elsewhere, encoding="utf-8")
    card = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0]
    message = wait_applied(browser, card.find_element(By.CSS_SELECTOR, "button.accept").click)
    assert "changed on disk" in message
    assert review.read_text(encoding="utf-8") == elsewhere
    shot(browser, "review_conflict")
    browser.find_element(By.ID, "flash-close").click()
    assert not browser.find_element(By.ID, "flash").is_displayed()
    card = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0]
    assert wait_applied(browser, card.find_element(By.CSS_SELECTOR, "button.accept").click).endswith(": accepted.")
    assert "# edited in a text editor meanwhile" in review.read_text(encoding="utf-8")
    assert read_draft(review).findings[0].status == "accepted"


def _summary_box(driver: Any, index: int) -> Any:
    from selenium.webdriver.common.by import By

    card = driver.find_elements(By.CSS_SELECTOR, "article.finding")[index]
    return card.find_element(By.CSS_SELECTOR, ".summary-form textarea")


def test_unsaved_text_survives_another_edit_and_enter_saves_a_summary(served: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(served["url"] + f"q/{QUESTION}")
    review: Path = served["review"]
    before = read_draft(review)
    typed = "Typed but not saved yet"
    box = _summary_box(browser, 1)
    box.clear()
    box.send_keys(typed)
    card = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0]
    assert wait_applied(browser, card.find_element(By.CSS_SELECTOR, "button.reject").click).endswith(": rejected.")
    box = _summary_box(browser, 1)
    assert box.get_attribute("value") == typed and "unsaved" in (box.get_attribute("class") or "")
    assert read_draft(review).findings[1].summary == before.findings[1].summary  # not saved: still the file's
    assert "Saved the summary" in wait_applied(browser, lambda: box.send_keys(Keys.ENTER))
    assert read_draft(review).findings[1].summary == typed
    assert "unsaved" not in (_summary_box(browser, 1).get_attribute("class") or "")


def test_leaving_the_page_with_unsaved_text_asks_first(served: dict[str, Any], browser: Any) -> None:
    """The page cancels `beforeunload` while a field holds unsaved text (the browser then asks before leaving)."""
    leaving = "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); "
    leaving += "return e.defaultPrevented;"
    browser.get(served["url"] + f"q/{QUESTION}")
    assert browser.execute_script(leaving) is False
    box = _summary_box(browser, 2)
    box.send_keys(" and more")
    assert browser.execute_script(leaving) is True
    box.clear()
    box.send_keys(read_draft(served["review"]).findings[2].summary)  # back to the file's text: leaving is free
    assert browser.execute_script(leaving) is False


def test_a_refused_save_keeps_the_typed_text(served: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served["url"] + f"q/{QUESTION}")
    review: Path = served["review"]
    typed = "A summary typed while the file changed"
    box = _summary_box(browser, 0)
    box.clear()
    box.send_keys(typed)
    elsewhere = review.read_text(encoding="utf-8") + "# saved in a text editor meanwhile\n"
    review.write_text(elsewhere, encoding="utf-8")
    form = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0].find_element(By.CSS_SELECTOR, ".summary-form")
    message = wait_applied(browser, form.find_element(By.TAG_NAME, "button").click)
    assert "changed on disk" in message and "Your text is kept in its field" in message
    assert review.read_text(encoding="utf-8") == elsewhere
    box = _summary_box(browser, 0)
    assert box.get_attribute("value") == typed and "unsaved" in (box.get_attribute("class") or "")
    form = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0].find_element(By.CSS_SELECTOR, ".summary-form")
    assert "Saved the summary" in wait_applied(browser, form.find_element(By.TAG_NAME, "button").click)
    text = review.read_text(encoding="utf-8")
    assert "# saved in a text editor meanwhile" in text and read_draft(review).findings[0].summary == typed


def _shown(driver: Any, selector: str) -> list[str]:
    """The statement ids of the rows under `selector` (read in one go: the rows are replaced as results arrive)."""
    script = "return Array.from(document.querySelectorAll(arguments[0])).map(r => r.dataset.statement)"
    return list(driver.execute_script(script, selector + " tr[data-statement]"))


def test_search_by_words_and_response_id(served: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.wait import WebDriverWait

    browser.get(served["url"] + f"q/{QUESTION}")
    draft = read_draft(served["review"])
    texts = {s.split(":")[0] for s in draft.findings[0].members}
    respondent = sorted(texts)[0]
    browser.execute_script("document.activeElement.blur()")
    ActionChains(browser).send_keys("/").perform()  # / goes to the search box
    search = browser.switch_to.active_element
    assert search.get_attribute("id") == "search-q"
    search.send_keys("developing" + Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: _shown(d, "#search-results"))
    found = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#search-results td.text")]
    assert found and all("developing" in t.casefold() for t in found)
    search.clear()
    search.send_keys(respondent + Keys.ENTER)
    WebDriverWait(browser, 30).until(
        lambda d: (ids := _shown(d, "#search-results")) and {s.split(":")[0] for s in ids} == {respondent}
    )
    shot(browser, "review_search")


@pytest.fixture(scope="module")
def big(served: dict[str, Any]) -> str:
    """A synthetic question of 10,500 statements added to the served run (after the tests that rebuild it)."""
    from benchmarks.review_scale import add_big_question

    return add_big_question(served["config"])


def test_an_edit_at_10k_statements_is_applied_in_place_and_keeps_the_focus(
    served: dict[str, Any], browser: Any, big: str
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.support.wait import WebDriverWait

    review = served["tmp"] / "reviews" / "sample" / f"{big}.yaml"
    draft = read_draft(review)
    assert sum(len(f.members) for f in draft.findings) + len(draft.not_grouped_members) >= 10_000
    browser.get(served["url"] + f"q/{big}")
    assert len(browser.page_source.encode()) < 1_500_000
    cards = browser.find_elements(By.CSS_SELECTOR, "article.finding")
    seventh = cards[6]
    seventh_id = seventh.get_attribute("id")
    browser.execute_script("arguments[0].scrollIntoView(); arguments[0].focus()", seventh)
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", seventh)
    assert wait_applied(browser, ActionChains(browser).send_keys("a").perform).endswith(": accepted.")
    assert active_id(browser) == seventh_id  # the finding was swapped for its new version, the focus stayed on it
    assert read_draft(review).findings[6].status == "accepted"
    card = finding(browser, draft.findings[6].id)
    assert abs(browser.execute_script("return arguments[0].getBoundingClientRect().top", card) - top) < 5
    # not grouped: paged, in numeric order
    section = browser.find_element(By.ID, "not-grouped")
    open_statements(browser, section)
    ids = [e.get_attribute("data-statement") for e in section.find_elements(By.CSS_SELECTOR, "tr[data-statement]")]
    assert len(ids) == 50 and ids == sorted(ids, key=lambda s: [int(p) if p.isdigit() else p for p in s.split(":")])
    # move two not-grouped statements into the seventh finding, in place
    for box in section.find_elements(By.CSS_SELECTOR, "input.pick")[:2]:
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
        box.click()
    Select(browser.find_element(By.ID, "move-target")).select_by_value(draft.findings[6].id)
    message = wait_applied(browser, browser.find_element(By.CSS_SELECTOR, "[data-selection=pin]").click)
    assert message.startswith("Moved 2 statements to")
    WebDriverWait(browser, 30).until(lambda d: (shown := _shown(d, "#not-grouped")) and ids[0] not in shown)
    assert by_id(read_draft(review), draft.findings[6].id).pinned == ids[:2]
    assert browser.execute_script("return window.__stayed === true")
    shot(browser, "review_10k")


def test_restart_on_the_same_port_right_after_ctrl_c(served: dict[str, Any], browser: Any) -> None:
    import signal
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = "from pipeline.launch import main; main()"
    args = [sys.executable, "-c", code, "review", "serve", str(served["config"]), "--port", str(port), "--no-browser"]

    def start() -> tuple[subprocess.Popen[str], str]:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=served["tmp"])
        assert proc.stdout is not None
        line = proc.stdout.readline()
        return proc, next((w for w in line.split() if w.startswith("http://")), line)

    first, url = start()
    try:
        assert url.startswith(f"http://127.0.0.1:{port}/"), url
        browser.get(url + f"q/{QUESTION}")  # a tab holds a connection open
        first.send_signal(signal.SIGINT)
        first.wait(timeout=20)
        started = time.monotonic()
        second, again = start()
        try:
            assert again.startswith(f"http://127.0.0.1:{port}/"), again
            assert time.monotonic() - started < 15
            browser.get(again + f"q/{QUESTION}")
            assert browser.find_element("tag name", "h1").text
        finally:
            second.terminate()
            second.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
