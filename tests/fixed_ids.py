"""Book UIDs from a counter, a fixed REV and a fixed follow-up clock: two runs that decide
the same write the same bytes (the cluster tests compare a cluster's book with a local one)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest


class CountingUuid:
    """The ``uuid`` module as the book sees it, with uuid4 from a counter (only the
    book's: Dask draws its own keys from uuid4 as well)."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=next(self._counter))

    def __getattr__(self, name: str) -> object:
        return getattr(uuid, name)


FIXED_NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def fix_ids(mp: pytest.MonkeyPatch) -> None:
    mp.setattr("cardpipe.book.store.uuid", CountingUuid())
    mp.setattr("cardpipe.merge._rev", lambda now: "2026-12-01T10:00:00Z")
    mp.setattr("cardpipe.followup.actions._now", lambda now: now or FIXED_NOW)
