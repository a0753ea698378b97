"""The review page in a real browser: Debian's Chromium, headless, driven by Selenium
(no browser is downloaded) against a real ``cardpipe review`` process on 127.0.0.1,
over a book made by the real OCR from generated card photos.

Set ``CARDPIPE_DOCS_SCREENSHOT=1`` to write the README's screenshot (docs/review.png)
besides the one in the test's tmp folder.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from cardpipe import followup
from cardpipe.book import Book
from cardpipe.sync.ledger import Ledger

from .review_cards import ScannedBook, scanned_book

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> ScannedBook:
    made = scanned_book(tmp_path_factory.mktemp("review"))
    left = [(r.decision, r.plan.contact.full_name) for r in made.result.report.rows]
    assert sorted(left) == [("review", "Marta Quell"), ("review", "Oskar Brandvold")], (
        f"the generated second cards should be left for review, not {left}")
    return made


@pytest.fixture(scope="module")
def review_url(scanned: ScannedBook) -> Iterator[str]:
    """A real ``cardpipe review --no-browser`` process; yields the URL it printed first."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cardpipe", "review", "--book", str(scanned.book),
         "--ledger", str(scanned.ledger), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    first: list[str] = []
    reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout
                                                          else ""), daemon=True)
    reader.start()
    reader.join(60)
    try:
        assert first and first[0].startswith("http://127.0.0.1:"), (
            f"first line {first!r}; stderr: {proc.stderr.read() if proc.poll() else ''}")
        yield first[0].strip()
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,900",
                "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _wait(check, what: str, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _open(driver: WebDriver, url: str) -> None:
    driver.get(url)
    _wait(lambda: driver.execute_script("return document.body.dataset.ready"), "the page")


def _pick(driver: WebDriver, name: str, *, marked: bool) -> None:
    """Click the list entry of ``name`` (a possible duplicate or not) and wait for it."""
    for li in driver.find_elements(By.CSS_SELECTOR, "#items li"):
        if li.text.startswith(name) and ("possible duplicate" in li.text) == marked:
            uid = li.get_attribute("data-uid")
            li.click()
            _wait(lambda uid=uid: driver.execute_script(
                "return state.detail && state.detail.uid === arguments[0] && !state.busy",
                uid), f"{name} to show")
            return
    raise AssertionError(f"{name} (marked={marked}) is not listed")


def _key(driver: WebDriver, *keys: str) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def _alert(driver: WebDriver):  # type: ignore[no-untyped-def]
    try:
        return driver.switch_to.alert
    except NoAlertPresentException:
        return None


def _decisions(driver: WebDriver) -> int:
    return len(driver.find_elements(By.CSS_SELECTOR, "#history li"))


def _shown_uid(driver: WebDriver) -> str:
    return str(driver.execute_script("return state.detail.uid"))


def test_a_review_session_in_chromium_edits_merges_separates_and_undoes(
        scanned: ScannedBook, review_url: str, browser: WebDriver, tmp_path: Path) -> None:
    driver = browser
    _open(driver, review_url)
    keys = driver.find_element(By.ID, "keys").text
    for shown in ("a accept", "m merge", "s keep separate", "u undo"):
        assert shown in keys

    # edit a field, save with the keyboard
    _pick(driver, "Priya Ramaswamy", marked=False)
    priya = _shown_uid(driver)
    title = driver.find_element(By.ID, "f-title")
    ActionChains(driver).move_to_element(title).perform()  # hovering outlines its OCR line
    _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "#boxes div.on"), "the outline")
    title.clear()
    title.send_keys("Chief Technology Officer", Keys.CONTROL, Keys.ENTER)
    _wait(lambda: _decisions(driver) == 1, "the edit")

    # a pair left for review: the card beside the candidate, with the reasons
    _pick(driver, "Marta Quell", marked=True)
    marta = _shown_uid(driver)
    assert driver.find_element(By.ID, "candidate").is_displayed()
    reasons = driver.find_element(By.ID, "reasons").text
    assert "name: exact" in reasons and "company: exact" in reasons
    assert driver.find_elements(By.CSS_SELECTOR, "#fields .low")  # low confidence shows
    driver.set_window_size(1280, 1180)  # the card, its fields and the candidate
    ActionChains(driver).move_to_element(driver.find_element(By.ID, "f-title")).perform()
    driver.save_screenshot(str(tmp_path / "review.png"))
    if os.environ.get("CARDPIPE_DOCS_SCREENSHOT"):
        (ROOT / "docs").mkdir(exist_ok=True)
        driver.save_screenshot(str(ROOT / "docs" / "review.png"))
    driver.set_window_size(1280, 900)
    assert (tmp_path / "review.png").stat().st_size > 10_000
    marta_candidate = str(driver.execute_script("return state.detail.candidate.uid"))
    driver.find_element(By.TAG_NAME, "body").click()
    _key(driver, "s")  # keep separate
    _wait(lambda: _decisions(driver) == 2, "keep separate")

    _pick(driver, "Oskar Brandvold", marked=True)
    oskar = _shown_uid(driver)
    oskar_candidate = str(driver.execute_script("return state.detail.candidate.uid"))
    _key(driver, "m")  # merge with the candidate
    _wait(lambda: _decisions(driver) == 3, "the merge")
    merged = Book.load(scanned.book)
    assert merged.get(oskar) is None and merged.get(oskar_candidate) is not None

    # one more edit, undone from the keyboard
    _pick(driver, "Jonas Elmquist", marked=False)
    jonas = _shown_uid(driver)
    company = driver.find_element(By.ID, "f-company")
    before = company.get_attribute("value")
    company.clear()
    company.send_keys("Wrong Company AB", Keys.CONTROL, Keys.ENTER)
    _wait(lambda: _decisions(driver) == 4, "the second edit")
    driver.find_element(By.TAG_NAME, "body").click()
    _key(driver, "u")
    _wait(lambda: _decisions(driver) == 3, "the undo")

    # a follow-up action with its date, from the keyboard (the page asks what and when)
    _pick(driver, "Jonas Elmquist", marked=False)
    driver.find_element(By.TAG_NAME, "body").click()
    _key(driver, "f")
    for answer in ("Call about the pilot", "2027-01-15"):
        alert = _wait(lambda: _alert(driver), "the follow-up question")
        alert.send_keys(answer)
        alert.accept()
    _wait(lambda: _decisions(driver) == 4, "the follow-up")

    # narrow window: one column, nothing wider than the screen, the decisions reachable
    driver.set_window_size(390, 844)
    _wait(lambda: driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth"), "one column")
    assert driver.find_element(By.ID, "do-accept").is_displayed()

    book = Book.load(scanned.book)
    assert book.get(priya).title == "Chief Technology Officer"  # type: ignore[union-attr]
    assert book.get(jonas).company == before  # type: ignore[union-attr]
    assert book.get(oskar) is None
    assert book.get(marta) is not None and book.get(marta_candidate) is not None
    assert "cardpipe-review" not in book.get(marta).categories  # type: ignore[union-attr]
    assert [(f.text, f.due) for f in followup.followups_of(book, jonas)
            if f.text == "Call about the pilot"] == [("Call about the pilot", dt.date(2027, 1, 15))]
    with Ledger.open(scanned.ledger) as ledger:
        active = [(d.kind, d.uid) for d in ledger.decisions()]
        assert active == [("edit", priya), ("separate", marta), ("merge", oskar),
                          ("followup", jonas)]
        undone = [d for d in ledger.decisions(include_undone=True) if d.undone_at]
        assert [(d.kind, d.uid) for d in undone] == [("edit", jonas)]
        assert ledger.apart_pairs() == {frozenset((marta, marta_candidate))}
        assert {c.uid for c in ledger.kept_cards(oskar_candidate)} == {oskar_candidate}
        assert len(ledger.kept_cards(oskar_candidate)) == 2


def test_the_page_without_its_token_is_refused(review_url: str, browser: WebDriver) -> None:
    base = review_url.split("?", 1)[0]
    browser.get(base)
    assert "forbidden" in browser.find_element(By.TAG_NAME, "body").text
    assert not browser.execute_script("return document.body.dataset.ready")
    for path in ("", "api/items", "static/review.js"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + path, timeout=10)
        assert refused.value.code == 403
    with urllib.request.urlopen(review_url, timeout=10) as page:
        assert page.status == 200
