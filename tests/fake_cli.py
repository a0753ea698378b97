"""``python -m tests.fake_cli ARGS``: the real ``cardpipe`` command line, with every worker
reading through a fake OCR engine (for the tests that kill or interrupt real processes).

``CARDPIPE_TEST_ENGINE``: ``slow:SECONDS`` (each photo takes that long) or ``hang``
(never finishes); ``CARDPIPE_TEST_STARTED``: a folder that gets one file per photo a
worker starts on (``SlowEngine``).
"""

from __future__ import annotations

import os

from cardpipe import cli, pipeline

from .conftest import SlowEngine


def _fake_engine() -> SlowEngine:
    spec = os.environ.get("CARDPIPE_TEST_ENGINE", "slow:1")
    seconds = None if spec == "hang" else float(spec.partition(":")[2] or 1)
    return SlowEngine(seconds, started=os.environ.get("CARDPIPE_TEST_STARTED"))


def _engine_for(engine: str | None, lang: str | None) -> SlowEngine:
    return _fake_engine()


if __name__ == "__main__":
    pipeline.engine_for = _engine_for  # type: ignore[assignment]  # forked workers inherit it
    cli.main()
