"""The review page over a book of 200 cards: how long until it shows (issue 16: < 1 s).

Builds a book of N invented contacts (about a third left for review against a namesake,
every card with its image and OCR lines kept in a ledger), serves it with the real
``ReviewServer`` on 127.0.0.1 and opens it in headless Debian Chromium (Selenium): the
time from navigation to the list and the first card drawn, cold and warm, and the time
of the JSON list and of one card with its candidate as the server answers them.

    python bench/bench_review.py [--cards 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cardpipe.review import ReviewServer, ReviewSession  # noqa: E402
from cardpipe.sync.ledger import Ledger  # noqa: E402
from tests.review_cards import large_book  # noqa: E402

TARGET_S = 1.0


def _get(port: int, path: str, token: str) -> float:
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"X-Cardpipe-Token": token})
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 200, (path, response.status)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        book, ledger_path = large_book(Path(tmp), args.cards)
        built = time.perf_counter() - t0
        with Ledger.open(ledger_path, threads=True) as ledger:
            session = ReviewSession(book, ledger)
            items = session.items()
            marked = [i for i in items if i.marked]
            server = ReviewServer(session)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            options = webdriver.ChromeOptions()
            options.binary_location = "/usr/bin/chromium"
            for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,900",
                        "--disable-dev-shm-usage"):
                options.add_argument(arg)
            driver = webdriver.Chrome(options=options,
                                      service=Service("/usr/bin/chromedriver"))
            try:
                page: list[float] = []
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    driver.get(server.url)
                    while not driver.execute_script("return document.body.dataset.ready"):
                        time.sleep(0.005)
                    page.append(time.perf_counter() - t0)
                shown = driver.execute_script("return state.items.length")
            finally:
                driver.quit()
            listing = [_get(server.port, "/api/items", server.token)
                       for _ in range(args.repeat)]
            card = [_get(server.port, f"/api/card/{marked[0].uid}", server.token)
                    for _ in range(args.repeat)] if marked else [0.0]
            server.shutdown()
            server.server_close()

    print(f"book: {args.cards} cards ({len(items)} to review, {len(marked)} possible "
          f"duplicates), built in {built:.1f} s; the page listed {shown}")
    print(f"{'what':<34} {'first':>8} {'median':>8} {'max':>8}")
    for what, times in (("page shown (list + first card)", page),
                        ("GET /api/items", listing),
                        ("GET /api/card (with candidate)", card)):
        print(f"{what:<34} {times[0]:>7.3f}s {statistics.median(times):>7.3f}s "
              f"{max(times):>7.3f}s")
    worst = max(page)
    verdict = "ok" if worst < TARGET_S else "TOO SLOW"
    print(f"target: the page of {args.cards} cards shows in under {TARGET_S:.0f} s: "
          f"{worst:.3f} s ({verdict})")
    return 0 if worst < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
