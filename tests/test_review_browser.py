"""`consolidate review serve` driven by a real headless Chromium (Debian's chromium + chromium-driver).

On the sample's `threats` question a reviewer merges two findings, renames one, moves a statement, rejects one
and rebuilds; the review copy on disk must then hold exactly those edits, and `consolidate run` must keep them.
The test skips on a machine without Chromium, except under CI (CI=true), where it fails: `.ci/run` installs it.
Set REVIEW_SCREENSHOTS=DIR to save a screenshot of each screen (the README's come from `docs/`).
"""

from __future__ import annotations

import os
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


def wait_reload(driver: Any, action: Any) -> str:
    """Run an action that makes the page reload after an edit; return the flash message shown after it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.wait import WebDriverWait

    old = driver.find_element(By.ID, "page")
    action()
    wait = WebDriverWait(driver, 60)
    wait.until(ec.staleness_of(old))
    wait.until(ec.visibility_of_element_located((By.ID, "flash")))
    return str(driver.find_element(By.ID, "flash").text)


def finding(driver: Any, fid: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, f"f-{fid}")


def test_merge_rename_move_reject_rebuild_then_run_keeps_the_edits(
    served: dict[str, Any], browser: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.support.wait import WebDriverWait

    before = read_draft(served["review"])
    f = [x.id for x in before.findings]
    browser.get(served["url"])
    shot(browser, "review_questions")
    browser.find_element(By.PARTIAL_LINK_TEXT, "What are the main threats").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == before.question_text

    # merge #4 into #3 (pointing and clicking)
    Select(finding(browser, f[3]).find_element(By.NAME, "target")).select_by_value(f[2])
    assert "Saved" in wait_reload(
        browser, finding(browser, f[3]).find_element(By.CSS_SELECTOR, ".merge-form button").click
    )
    # rename #1 (keyboard: type, Enter)
    title = finding(browser, f[0]).find_element(By.CLASS_NAME, "title-input")
    title.clear()
    assert "Saved" in wait_reload(browser, lambda: title.send_keys(NEW_TITLE + Keys.ENTER))
    # move the first statement of #2 to #1
    card = finding(browser, f[1])
    card.find_element(By.TAG_NAME, "summary").click()
    box = card.find_element(By.CSS_SELECTOR, "input.pick")
    moved = box.get_attribute("value")
    box.click()
    Select(browser.find_element(By.ID, "move-target")).select_by_value(f[0])
    shot(browser, "review_question")
    move = browser.find_element(By.CSS_SELECTOR, "[data-selection=pin]")
    assert "Saved" in wait_reload(browser, move.click)
    # reject #5 (keyboard: focus the finding, press r)
    card = finding(browser, f[4])
    browser.execute_script("arguments[0].scrollIntoView(); arguments[0].focus()", card)
    assert "Saved" in wait_reload(browser, ActionChains(browser).send_keys("r").perform)

    browser.find_element(By.ID, "rebuild").click()
    WebDriverWait(browser, 120).until(lambda d: d.find_element(By.ID, "rebuild-result").is_displayed())
    result = browser.find_element(By.ID, "rebuild-result").text
    assert f"{QUESTION}: " in result and "Open the updated report" in result
    assert browser.find_element(By.ID, "rebuilt-report").get_attribute("href").endswith("/report")
    shot(browser, "review_rebuild")

    expected = {(f[0], "title", ""), (f[0], "pin", moved), (f[3], "merge_into", f[2]), (f[4], "status", "rejected")}
    after = read_draft(served["review"])
    assert_exact_edits(after, expected, moved)
    report = (served["tmp"] / "outputs" / "sample" / "07_report" / "report.html").read_text(encoding="utf-8")
    assert "Developing countries left behind &lt;b&gt;" in report

    result = CliRunner().invoke(app, ["run", str(served["config"])])
    assert result.exit_code == 0, result.output
    assert_exact_edits(read_draft(served["review"]), expected, moved)


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
    message = wait_reload(browser, card.find_element(By.CSS_SELECTOR, "button.accept").click)
    assert "changed on disk" in message and "Your edit was" in message
    assert review.read_text(encoding="utf-8") == elsewhere
    shot(browser, "review_conflict")
    card = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0]
    assert "Saved" in wait_reload(browser, card.find_element(By.CSS_SELECTOR, "button.accept").click)
    assert "# edited in a text editor meanwhile" in review.read_text(encoding="utf-8")
    assert read_draft(review).findings[0].status == "accepted"


def _summary_box(driver: Any, index: int) -> Any:
    from selenium.webdriver.common.by import By

    card = driver.find_elements(By.CSS_SELECTOR, "article.finding")[index]
    return card.find_element(By.CSS_SELECTOR, ".summary-form textarea")


def test_unsaved_text_survives_the_reload_of_another_edit(served: dict[str, Any], browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(served["url"] + f"q/{QUESTION}")
    review: Path = served["review"]
    before = read_draft(review)
    typed = "Typed but not saved yet"
    box = _summary_box(browser, 1)
    box.clear()
    box.send_keys(typed)
    card = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0]
    message = wait_reload(browser, card.find_element(By.CSS_SELECTOR, "button.reject").click)
    assert "Saved" in message and "Your unsaved text is back in 1 field(s)" in message
    box = _summary_box(browser, 1)
    assert box.get_attribute("value") == typed and "unsaved" in (box.get_attribute("class") or "")
    assert read_draft(review).findings[1].summary == before.findings[1].summary  # not saved: still the file's
    form = browser.find_elements(By.CSS_SELECTOR, "article.finding")[1].find_element(By.CSS_SELECTOR, ".summary-form")
    assert "Saved" in wait_reload(browser, form.find_element(By.TAG_NAME, "button").click)
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
    message = wait_reload(browser, form.find_element(By.TAG_NAME, "button").click)
    assert "changed on disk" in message and "Your text is kept in its field" in message
    assert review.read_text(encoding="utf-8") == elsewhere
    box = _summary_box(browser, 0)
    assert box.get_attribute("value") == typed and "unsaved" in (box.get_attribute("class") or "")
    form = browser.find_elements(By.CSS_SELECTOR, "article.finding")[0].find_element(By.CSS_SELECTOR, ".summary-form")
    assert "Saved" in wait_reload(browser, form.find_element(By.TAG_NAME, "button").click)
    text = review.read_text(encoding="utf-8")
    assert "# saved in a text editor meanwhile" in text and read_draft(review).findings[0].summary == typed
