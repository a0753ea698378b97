"""Run cardpipe's work on a Dask cluster (the optional extra ``cardpipe[cluster]``).

* ``connect(address)`` gives a ``DaskExecutor``: ``pipeline.scan_paths(executor=...)``
  (and ``run`` / ``sync`` through ``--scheduler``) then sends each photo's bytes to the
  cluster, a bounded number at a time, and streams the results back in input order.
  Workers need cardpipe and its OCR models installed, not the photos' filesystem; a
  worker plugin loads the OCR engine once per worker process.
* ``match_on_cluster`` matches incoming contacts against a book partitioned over the
  cluster (``cardpipe.cluster.matching``): the same plans as ``pipeline.merge_into_book``.

Nothing here is imported by the rest of cardpipe unless a scheduler is named, and this
module itself imports Dask only when it is used: ``available()`` says whether it can be.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import ClusterError

if TYPE_CHECKING:  # Dask is imported only when a scheduler is named
    from .scan import DaskExecutor

__all__ = ["ENV_SCHEDULER", "INSTALL_HINT", "ClusterError", "available", "check_address",
           "check_available", "connect", "maybe_connect"]

#: what to tell a user whose cardpipe has no Dask
INSTALL_HINT = "install the cluster extra: pip install 'cardpipe[cluster]'"

#: the environment variable naming the scheduler (like --scheduler)
ENV_SCHEDULER = "CARDPIPE_SCHEDULER"


def available() -> bool:
    """Is Dask distributed installed here?"""
    return importlib.util.find_spec("distributed") is not None


def check_available(what: str = "--scheduler") -> None:
    """Raise ``ValueError`` (a usage error at the CLI) when Dask is not installed."""
    if not available():
        raise ValueError(f"{what} needs Dask distributed, which is not installed "
                         f"({INSTALL_HINT})")


def check_address(address: str) -> str:
    """``address`` as a Dask scheduler address (``tcp://HOST:PORT``, ``tls://...``, or a
    bare ``HOST:PORT``, taken as tcp). Raises ``ValueError`` for anything else."""
    text = address.strip()
    if "://" not in text:
        text = "tcp://" + text
    scheme, _, rest = text.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls", "inproc", "ws", "wss") or not host or not port.isdigit():
        raise ValueError(f"{address!r} is not a Dask scheduler address: use tcp://HOST:PORT "
                         "(as 'dask scheduler' prints it)")
    return text


def connect(address: str, **kwargs: object) -> DaskExecutor:
    """A ``DaskExecutor`` connected to the scheduler at ``address`` (see ``DaskExecutor``
    for the keyword arguments). Raises ``ClusterError`` (exit 8) when it cannot be
    reached, ``ValueError`` when Dask is missing or the address is malformed."""
    check_available()
    from .scan import DaskExecutor

    return DaskExecutor.connect(check_address(address), **kwargs)  # type: ignore[arg-type]


@contextlib.contextmanager
def maybe_connect(address: str | None, **kwargs: object) -> Iterator[DaskExecutor | None]:
    """``connect(address)`` for the length of a ``with`` block, or None without an address
    (the commands' ``--scheduler``: the process pool then)."""
    if not address:
        yield None
        return
    with connect(address, **kwargs) as executor:
        yield executor
