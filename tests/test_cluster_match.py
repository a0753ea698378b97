"""Matching on a real Dask cluster (issue 17): a generated book partitioned over a
``distributed.LocalCluster`` (two worker processes, 127.0.0.1) gives the same plans, the
same report and the same book bytes as ``pipeline.merge_into_book`` on one machine.

The generated batch (bench/bookgen.py: Faker people, duplicates of book people with OCR
typos and job changes, cards photographed twice, namesakes, colleagues, families) holds
every case where one card's decision depends on an earlier one's.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster

from cardpipe import match, pipeline
from cardpipe.book import Book
from cardpipe.cluster import matching

from .fixed_ids import fix_ids

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bookgen import generate  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        lc = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=":0")
    with Client(lc, set_as_default=False) as c:
        yield c
    lc.close()


@pytest.fixture(scope="module")
def dataset():
    ds = generate(1500, 400, 0.35, seed=11)
    incoming = [pipeline.Incoming(f"photo-{i}.jpg", c.replace(uid=None), "Expo", "2026-05-04")
                for i, c in enumerate(ds.incoming)]
    return Book.of(ds.book).to_bytes(), incoming


def _local(text: bytes, incoming, model, monkeypatch) -> tuple[list[dict], bytes]:
    fix_ids(monkeypatch)
    book = _book(text)
    report = pipeline.merge_into_book(book, incoming, model=model)
    return [r.to_dict() for r in report.rows], book.to_bytes()


def _cluster(client, text: bytes, incoming, model, monkeypatch, partition_size: int
             ) -> tuple[list[dict], bytes]:
    fix_ids(monkeypatch)
    book = _book(text)
    report = matching.merge_on_cluster(client, book, incoming, model=model,
                                       partition_size=partition_size)
    return [r.to_dict() for r in report.rows], book.to_bytes()


def _book(text: bytes) -> Book:
    from cardpipe.vcard import read_file

    book = Book(None, "file")
    for card in read_file(text, source="<book>").cards:
        book.put_text(card.raw)
    return book


@pytest.mark.parametrize("max_block_size", [60, 3], ids=["model", "tiny-blocks"])
def test_matching_on_the_cluster_decides_and_writes_what_the_local_matcher_does(
        client, dataset, monkeypatch, max_block_size):
    # tiny blocks: most blocks are too big to find candidates with, so the cluster sends
    # back only some of their members (and must notice when a merge shrinks one)
    model = dataclasses.replace(match.load_model(), max_block_size=max_block_size)
    text, incoming = dataset
    local_rows, local_bytes = _local(text, incoming, model, monkeypatch)
    rows, written = _cluster(client, text, incoming, model, monkeypatch, partition_size=400)
    assert rows == local_rows
    assert written == local_bytes
    decisions = {r["decision"] for r in rows}
    assert {"new", "merged"} <= decisions  # the batch really exercises merging


def test_only_the_candidates_come_back_from_the_cluster(client, dataset):
    text, incoming = dataset
    book = _book(text)
    found = matching.plan_on_cluster(client, matching.book_bag(book, partition_size=300),
                                     incoming[:20], model=match.load_model())
    assert found.book_size == len(book)
    assert 0 < found.candidates < len(book) // 4
    assert len(found.plans) == 20


def test_a_run_through_the_cluster_matches_a_big_book_there(client, dataset, monkeypatch):
    from cardpipe.cluster.scan import DaskExecutor

    model = match.load_model()
    text, incoming = dataset
    local_rows, local_bytes = _local(text, incoming, model, monkeypatch)
    fix_ids(monkeypatch)
    book = _book(text)
    calls = []
    monkeypatch.setattr(matching, "plan_on_cluster", _spy(matching.plan_on_cluster, calls))
    report = DaskExecutor(client, match_from=1000).merge_into_book(book, incoming, model=model)
    assert calls  # 1500 contacts >= 1000: matched on the cluster
    assert [r.to_dict() for r in report.rows] == local_rows
    assert book.to_bytes() == local_bytes


def _spy(fn, calls):
    def wrapper(*args, **kwargs):
        calls.append(1)
        return fn(*args, **kwargs)

    return wrapper
