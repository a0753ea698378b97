"""Matching incoming contacts against a book partitioned over a Dask cluster, with the
same plans as ``pipeline.merge_into_book`` on one machine.

The book is a ``dask.bag`` of ``(seq, uid, vcard_text)`` (``seq``: the card's place in the
book), parsed where it lives. What costs memory and time in a big book, the features and
blocking keys of every record, is computed on the workers:

1. each partition files its records under their blocking keys and keeps only the keys
   some incoming contact has; ``foldby`` gathers each such key's block on the cluster:
   its size, and its members (up to one more than the model's ``max_block_size``: a
   bigger block is not used to find candidates, so which of its members come back does
   not matter);
2. the members of those blocks, the *candidates*, come back as vCard text, with the
   book's term frequencies for the values they and the incoming contacts hold
   (counted on the workers, summed with ``Bag.reduction``) and the book's size.

The decisions then come from one ordered pass, on the client, of the very
``pipeline.merge_into_book`` the local run uses, over a book of the candidates alone
whose index counts what stayed on the cluster (``ShardIndex``): every later card sees
what earlier cards of the batch did (a card merged into a record, a card added), as
locally, and nothing outside the candidates can be a candidate.  Should that pass look
up a value the cluster was not asked about (a merged record's new name), or see a big
block drop under the limit (a merged record leaving it), the cluster is asked about it
and the pass is made again: the result is the local matcher's, exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import CancelledError
from typing import Any

import dask.bag as db
from distributed import Client

from .. import match, pipeline, vcard
from ..book import Book
from ..contact import Contact
from ..errors import ClusterError
from ..match.index import block_keys, tf_keys

#: records per partition when a book in memory is sent to the cluster
PARTITION_SIZE = 20_000
#: passes at most (the first, plus one per round of values the cluster was asked about)
MAX_PASSES = 5

Record = tuple[int, str, str]  # (seq, uid, vCard text)


@dataclasses.dataclass
class ClusterMatch:
    """What ``plan_on_cluster`` found: the applied plans, in the incoming order, and what
    it cost (for the benchmark and the run log)."""

    plans: list[pipeline.Plan]
    book_size: int
    candidates: int  # book records sent back to the client
    passes: int


# -- the book as a bag --------------------------------------------------------------------

def book_bag(book: Book, *, partition_size: int = PARTITION_SIZE) -> db.Bag:
    """A book held in memory as the bag ``plan_on_cluster`` takes (records in book order)."""
    records = [(i, contact.uid or "", card.raw)
               for i, (card, contact) in enumerate(book.items())]
    parts = max(1, -(-len(records) // partition_size))
    return db.from_sequence(records, npartitions=parts)


def _contacts(records: Iterable[Record], region: str | None) -> Iterator[tuple[int, str, str,
                                                                            Contact]]:
    """The records' contacts, each with the UID the book gives it."""
    for seq, uid, raw in records:
        cards = vcard.read_vcards(raw, source="<book>", region=region)
        if len(cards) == 1 and cards[0].contact is not None:
            contact = cards[0].contact
            yield seq, uid, raw, contact.replace(uid=uid) if uid else contact


# -- on the workers -------------------------------------------------------------------------

def _blocks_of(records: Iterable[Record], wanted: frozenset[str], model: match.MatchModel,
               region: str | None) -> list[tuple[str, tuple[int, str]]]:
    """(key, (seq, uid)) for each wanted blocking key of each record of a partition."""
    out: list[tuple[str, tuple[int, str]]] = []
    for seq, uid, _raw, contact in _contacts(records, region):
        f = match.features(contact, model)
        out.extend((k, (seq, uid)) for k in block_keys(f) & wanted)
    return out


def _size(records: Iterable[Record], region: str | None) -> int:
    return sum(1 for _ in _contacts(records, region))


def _gather(cap: int | None) -> Any:
    """The binop of the block fold: (size, members kept, at most ``cap``)."""

    def add(acc: tuple[int, list[tuple[int, str]]], item: tuple[str, tuple[int, str]]
            ) -> tuple[int, list[tuple[int, str]]]:
        n, members = acc
        if cap is None or len(members) < cap:
            members = [*members, item[1]]
        return n + 1, members

    return add


def _combine(cap: int | None) -> Any:
    def combine(a: tuple[int, list[tuple[int, str]]], b: tuple[int, list[tuple[int, str]]]
                ) -> tuple[int, list[tuple[int, str]]]:
        members = sorted(a[1] + b[1])
        return a[0] + b[0], members if cap is None else members[:cap]

    return combine


def _tf_counts(records: Iterable[Record], wanted: frozenset[tuple[str, str]],
               model: match.MatchModel, region: str | None) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for _seq, _uid, _raw, contact in _contacts(records, region):
        counts.update(tf_keys(match.features(contact, model)) & wanted)
    return counts


def _sum_counts(parts: Iterable[Counter[tuple[str, str]]]) -> Counter[tuple[str, str]]:
    total: Counter[tuple[str, str]] = Counter()
    for c in parts:
        total.update(c)
    return total


def _select(records: Iterable[Record], seqs: frozenset[int]) -> list[Record]:
    return [r for r in records if r[0] in seqs]


# -- on the client --------------------------------------------------------------------------

class ShardIndex(match.MatchIndex):
    """A ``MatchIndex`` over some records of a bigger book that counts the rest: its
    size and term frequencies are the whole book's (``book_size``, ``book_tf``: counted
    on the cluster), so every pair scores as in the whole book's index.

    It notes what it would need to know more of: a term frequency it was not given
    (``missing_tf``), and a block bigger than the limit in the book of which it holds
    only some members when fewer than the limit are left here (``short_blocks``)."""

    def __init__(self, contacts: Iterable[Contact], model: match.MatchModel, *,
                 book_size: int, book_tf: dict[tuple[str, str], int],
                 partial_blocks: frozenset[str],
                 birthdays: dict[str, str | None] | None = None) -> None:
        self._tracked: dict[str, set[str]] = {}
        self._counts: Counter[str] = Counter()
        self._partial = partial_blocks
        self.missing_tf: set[tuple[str, str]] = set()
        self.short_blocks: set[str] = set()
        held = list(contacts)
        super().__init__(held, model, birthdays)
        self._extra_size = book_size - len(held)
        # what the book holds besides the records here, value by value
        self._extra_tf = {k: n - super(ShardIndex, self).term_frequency(*k)
                          for k, n in book_tf.items()}

    def add(self, contact: Contact, *, merged_from: Contact | None = None,
            birthday: str | None = None, merged_birthday: str | None = None) -> None:
        super().add(contact, merged_from=merged_from, birthday=birthday,
                    merged_birthday=merged_birthday)
        uid = contact.uid
        assert uid is not None  # super().add refuses a contact without one
        self._untrack(uid)
        keys = block_keys(self.features_of(uid))
        self._tracked[uid] = keys
        self._counts.update(keys)

    def remove(self, uid: str) -> None:
        super().remove(uid)
        self._untrack(uid)

    def _untrack(self, uid: str) -> None:
        self._counts.subtract(self._tracked.pop(uid, ()))

    def __len__(self) -> int:
        return super().__len__() + getattr(self, "_extra_size", 0)

    def term_frequency(self, kind: str, key: str) -> int:
        extra = getattr(self, "_extra_tf", None)
        if extra is None:  # still filing the records
            return super().term_frequency(kind, key)
        if (kind, key) not in extra:
            self.missing_tf.add((kind, key))
        return super().term_frequency(kind, key) + extra.get((kind, key), 0)

    def candidate_uids(self, f: Any, *, exclude: str | None = None) -> list[str]:
        limit = self.model.max_block_size
        for k in block_keys(f) & self._partial:
            if self._counts[k] <= limit:
                self.short_blocks.add(k)
        return super().candidate_uids(f, exclude=exclude)


def plan_on_cluster(
    client: Client,
    book: db.Bag,
    incoming: Sequence[pipeline.Incoming],
    *,
    region: str | None = None,
    event: str | None = None,
    met_on: str | None = None,
    model: match.MatchModel | None = None,
    now: dt.datetime | None = None,
    apart: Callable[[Contact], Collection[str]] | None = None,
) -> ClusterMatch:
    """Decide where each incoming contact goes in the book ``book`` (a bag of
    ``(seq, uid, vcard_text)``, see ``book_bag``): the plans ``pipeline.merge_into_book``
    makes on the whole book, applied in order (``into``: the UID each ends up under).
    ``region``: the book's (as ``Book.region``). Apply them to the book with
    ``apply_plans``. Raises ``ClusterError`` when the cluster is lost."""
    model = model or match.load_model()
    limit = model.max_block_size
    feats = [match.features(i.contact, model) for i in incoming]
    wanted = frozenset().union(*(block_keys(f) for f in feats)) if feats else frozenset()
    wanted_tf: set[tuple[str, str]] = set().union(*(tf_keys(f) for f in feats)) if feats \
        else set()
    try:
        parts = client.persist(book)
        size, found = client.compute([
            parts.map_partitions(lambda rs: [_size(rs, region)]).sum(),
            _fold(parts, wanted, model, region, limit + 1),
        ], sync=True)
        blocks = _blocks(found)
        full: set[str] = set()
        book_tf: dict[tuple[str, str], int] = {}
        held: dict[int, Record] = {}
        for passes in range(1, MAX_PASSES + 1):
            partial = frozenset(k for k, (n, m) in blocks.items() if n > len(m))
            seqs = frozenset(s for _n, members in blocks.values() for s, _u in members)
            new = seqs - held.keys()
            if new:
                got = client.compute(parts.map_partitions(_select, new), sync=True)
                held.update((r[0], r) for r in got)
            records = [held[s] for s in sorted(held)]
            contacts = [c for *_, c in _contacts(records, region)]
            for c in contacts:
                wanted_tf |= tf_keys(match.features(c, model))
            ask = wanted_tf - book_tf.keys()
            if ask:
                book_tf.update(client.compute(parts.reduction(
                    lambda rs, a=frozenset(ask): _tf_counts(rs, a, model, region),
                    _sum_counts), sync=True))
                book_tf.update({k: 0 for k in ask if k not in book_tf})
            shard = Book(None, "file", region=region)
            for _seq, uid, raw in records:
                shard.put_text(raw, uid=uid or None)
            index = ShardIndex(contacts, model, book_size=size, book_tf=book_tf,
                               partial_blocks=partial, birthdays=pipeline.book_birthdays(shard))
            report = pipeline.merge_into_book(shard, incoming, event=event, met_on=met_on,
                                              model=model, now=now, index=index, apart=apart)
            if not index.missing_tf and not (index.short_blocks - full):
                return ClusterMatch([r.plan for r in report.rows], size, len(held), passes)
            wanted_tf |= index.missing_tf
            short = frozenset(index.short_blocks - full)
            if short:  # every member of those blocks, this time
                blocks.update(_blocks(client.compute(_fold(parts, short, model, region, None),
                                                     sync=True)))
                full |= short
    except ClusterError:
        raise
    except (OSError, TimeoutError, CancelledError) as exc:
        raise ClusterError(f"lost the Dask cluster while matching: {exc}") from None
    raise ClusterError(f"matching did not settle after {MAX_PASSES} passes")  # pragma: no cover


def _fold(parts: db.Bag, keys: frozenset[str], model: match.MatchModel,
          region: str | None, cap: int | None) -> db.Bag:
    """The blocks of ``keys`` as a bag of (key, (size, members (seq, uid), at most
    ``cap``, the first in book order))."""
    pairs = parts.map_partitions(_blocks_of, keys, model, region)
    return pairs.foldby(lambda kv: kv[0], _gather(cap), (0, []), _combine(cap), (0, []))


def _blocks(found: Iterable[tuple[str, tuple[int, list[tuple[int, str]]]]]
            ) -> dict[str, tuple[int, list[tuple[int, str]]]]:
    return {k: (n, sorted(m)) for k, (n, m) in found}


def apply_plans(book: Book, incoming: Sequence[pipeline.Incoming],
                plans: Sequence[pipeline.Plan], *, now: dt.datetime | None = None,
                followup_after: dt.timedelta | None = pipeline.FOLLOWUP_AFTER
                ) -> pipeline.MergeReport:
    """Carry out ``plan_on_cluster``'s plans on the book itself (the client's); the same
    book and report as ``pipeline.merge_into_book``."""
    report = pipeline.MergeReport()
    for item, plan in zip(incoming, plans, strict=True):
        applied, changed = pipeline.apply_plan(book, plan, now=now,
                                               followup_after=followup_after)
        report.rows.append(pipeline.ReportRow(item.source, applied, changed))
    return report


def merge_on_cluster(client: Client, book: Book, incoming: Iterable[pipeline.Incoming], *,
                     event: str | None = None, met_on: str | None = None,
                     model: match.MatchModel | None = None, now: dt.datetime | None = None,
                     partition_size: int = PARTITION_SIZE,
                     apart: Callable[[Contact], Collection[str]] | None = None,
                     followup_after: dt.timedelta | None = pipeline.FOLLOWUP_AFTER
                     ) -> pipeline.MergeReport:
    """``pipeline.merge_into_book`` with the matching on the cluster: the book in memory is
    partitioned over it (``book_bag``), the plans come back and are applied here."""
    items = list(incoming)
    found = plan_on_cluster(client, book_bag(book, partition_size=partition_size), items,
                            region=book.region, event=event, met_on=met_on, model=model,
                            now=now, apart=apart)
    return apply_plans(book, items, found.plans, now=now, followup_after=followup_after)

