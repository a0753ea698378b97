"""Scoring pairs and deciding: new, merged or review — with the reasons, field by field."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contact import Contact
from .compare import compare_all
from .index import MatchIndex
from .model import MatchModel
from .normalize import Features, features


@dataclass(frozen=True)
class FieldResult:
    field: str
    level: str
    detail: str
    weight: float
    conflict: bool
    cls: str

    @property
    def reason(self) -> str:
        return f"{self.field}: {self.level.replace('_', ' ')} ({self.detail})"


@dataclass(frozen=True)
class PairScore:
    """How well one contact matches one record, and whether that allows a merge."""

    uid: str
    log_odds: float  # bits: prior plus the field weights
    fields: tuple[FieldResult, ...]

    @property
    def probability(self) -> float:
        return 1.0 / (1.0 + math.pow(2.0, -self.log_odds)) if self.log_odds > -60 else 0.0

    @property
    def conflicts(self) -> tuple[FieldResult, ...]:
        return tuple(f for f in self.fields if f.conflict)

    @property
    def classes(self) -> frozenset[str]:
        return frozenset(f.cls for f in self.fields if f.weight > 0)

    @property
    def reasons(self) -> list[str]:
        return [f.reason for f in self.fields]

    def can_merge(self, model: MatchModel) -> bool:
        return (
            self.probability >= model.merge_probability
            and not self.conflicts
            and any(need <= self.classes for need in model.merge_needs)
        )

    def can_review(self, model: MatchModel) -> bool:
        if self.probability < model.review_probability:
            return False
        return not self.conflicts or bool(self.classes & model.review_needs_on_conflict)


def score_features(
    a: Features,
    b: Features,
    uid: str,
    index: MatchIndex,
    model: MatchModel,
    a_uid: str | None = None,
) -> PairScore:
    """Score contact features ``a`` against the record ``b`` filed under ``uid``.

    ``a_uid``: when ``a`` is itself filed in the index (finding duplicates inside a
    book), its own values are not counted as other records sharing them.
    """
    n = len(index)
    size = model.book_size(n)
    params = {f: c.params for f, c in model.comparisons.items()}
    own = index.tf_keys_of(a_uid) if a_uid is not None and a_uid in index else frozenset()

    def tf(kind: str, key: str) -> int:
        return index.term_frequency(kind, key) - ((kind, key) in own)

    outcomes = compare_all(a, b, params, tf)
    total = model.prior_bits(n)
    results = []
    for name, out in outcomes.items():
        if out.level is None:
            continue
        level = model.comparisons[name].level(out.level)
        tf_count = tf(*out.tf_key) if out.tf_key else 0
        w = level.weight(size, tf_count)
        total += w
        results.append(FieldResult(name, out.level, out.detail, w, level.conflict, level.cls))
    if model.conflict_yields:
        # One half of a name replaced (a typist's slip, a maiden name) beside the same
        # date of birth and home: the conflict yields to that evidence (only then).
        classes = {r.cls for r in results if r.weight > 0}
        if model.conflict_yields_needs <= classes:
            results = [dataclasses.replace(r, conflict=False)
                       if r.conflict and f"{r.field}.{r.level}" in model.conflict_yields
                       else r for r in results]
    if model.context_combine == "strongest":
        # An office shares its name, address and switchboard; a household its address
        # and home phone: such evidence is not independent, so only the strongest counts.
        context = [r.weight for r in results if r.cls == "context" and r.weight > 0]
        total -= sum(context) - max(context, default=0.0)
    return PairScore(uid, total, tuple(results))


def score(incoming: Contact, uid: str, index: MatchIndex, model: MatchModel) -> PairScore:
    """Score ``incoming`` against the record ``uid`` of ``index``."""
    return score_features(
        features(incoming, index.model), index.features_of(uid), uid, index, model
    )


@dataclass(frozen=True)
class Decision:
    kind: str  # "new" | "merged" | "review"
    target: str | None  # the record's UID for merged / review, else None
    score: float  # match probability 0..1 of the best candidate
    reasons: list[str] = field(default_factory=list)
    log_odds: float | None = None
    candidates: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "target": self.target,
            "score": round(self.score, 4),
            "log_odds": None if self.log_odds is None else round(self.log_odds, 2),
            "reasons": list(self.reasons),
            "candidates": self.candidates,
        }


def _chain_conflict(
    a: Features, uid: str, index: MatchIndex, model: MatchModel, a_uid: str | None
) -> FieldResult | None:
    """A conflict with any card already merged into ``uid`` (A~B, B~C but not A~C)."""
    members = index.members_of(uid)
    if len(members) < 2:
        return None
    for member in members:
        ps = score_features(a, member, uid, index, model, a_uid)
        if ps.conflicts:
            return ps.conflicts[0]
    return None


def decide(incoming: Contact, index: MatchIndex, model: MatchModel | None = None,
           *, birthday: str | None = None, exclude: Collection[str] = ()) -> Decision:
    """Match ``incoming`` against ``index``: merge into one record, flag for review, or new.

    A merge needs a match probability of at least ``model.merge_probability``, no
    conflicting field, more than a name (see the model's ``merge_needs``) and no
    conflict with any card merged into that record before.  The records whose UID is in
    ``exclude`` (kept apart from this contact by a person) are not candidates.
    """
    model = model or index.model
    a = features(incoming, index.model, birthday)
    uids = [u for u in index.candidate_uids(a, exclude=incoming.uid) if u not in exclude]
    scores = sorted(
        (score_features(a, index.features_of(u), u, index, model, incoming.uid)
         for u in uids),
        key=lambda s: -s.log_odds,
    )
    if not scores:
        return Decision("new", None, 0.0, [], None, 0)
    review: tuple[PairScore, str] | None = None
    for ps in scores:
        if ps.can_merge(model):
            chained = _chain_conflict(a, ps.uid, index, model, incoming.uid)
            if chained is None:
                return Decision("merged", ps.uid, ps.probability, ps.reasons, ps.log_odds,
                                len(scores))
            if review is None:
                review = (ps, f"conflicts with a card merged earlier: {chained.reason}")
        elif review is None and ps.can_review(model):
            review = (ps, "")
    if review is not None:
        ps, extra = review
        reasons = ps.reasons + ([extra] if extra else [])
        return Decision("review", ps.uid, ps.probability, reasons, ps.log_odds, len(scores))
    best = scores[0]
    return Decision("new", None, best.probability, best.reasons, best.log_odds, len(scores))


@dataclass(frozen=True)
class DuplicateGroup:
    uids: list[str]
    reasons: list[str]
    score: float  # the weakest pair's match probability

    def to_dict(self) -> dict[str, Any]:
        return {"uids": list(self.uids), "score": round(self.score, 4),
                "reasons": list(self.reasons)}


def find_duplicates(
    contacts: Iterable[Contact], model: MatchModel | None = None,
    birthdays: Mapping[str, str | None] | None = None,
    *, learn: bool = True,
) -> list[DuplicateGroup]:
    """Groups of contacts in which every pair is a confident match (complete linkage:
    A~B and B~C put A, B and C together only when A~C holds too).

    ``birthdays``: UID -> the card's BDAY (not a ``Contact`` field).  ``learn``: weigh
    the fields with m learned from this book (``em.estimate``), the given model as prior."""
    index = MatchIndex(contacts, model, birthdays)
    return duplicates_in(index, model, learn=learn)


def duplicates_in(index: MatchIndex, model: MatchModel | None = None, *,
                  learn: bool = True, apart: Collection[frozenset[str]] = ()
                  ) -> list[DuplicateGroup]:
    """``find_duplicates`` on an index already built.  ``apart``: pairs of UIDs a person
    kept separate (the review page): never in one group."""
    model = model or index.model
    if learn:
        from .em import estimate

        model = estimate(index, model).model

    scored: dict[tuple[str, str], PairScore] = {}

    def pair_score(x: str, y: str) -> PairScore:
        k = (x, y) if index._seq_of(x) < index._seq_of(y) else (y, x)
        if k not in scored:
            scored[k] = score_features(index.features_of(k[1]), index.features_of(k[0]),
                                       k[0], index, model, k[1])
        return scored[k]

    def matched(x: str, y: str) -> PairScore | None:
        if frozenset((x, y)) in apart:
            return None
        ps = pair_score(x, y)
        return ps if ps.can_merge(model) else None

    def compatible(x: str, y: str) -> bool:
        """Two records of one group: a confident match, or at least a likely one
        with nothing in conflict (A~B and B~C strong, A~C only likely, as a record
        with its typos in two fields is against the third)."""
        if frozenset((x, y)) in apart:
            return False
        ps = pair_score(x, y)
        return ps.can_merge(model) or (
            not ps.conflicts and ps.probability >= model.review_probability)

    edges: list[PairScore] = []
    edge_ends: list[tuple[str, str]] = []
    for uid in index:
        for other in index.candidate_uids(index.features_of(uid), exclude=uid):
            if index._seq_of(other) < index._seq_of(uid):
                continue
            ps = matched(uid, other)
            if ps is not None:
                edges.append(ps)
                edge_ends.append((uid, other))
    order = sorted(range(len(edges)), key=lambda i: -edges[i].log_odds)
    cluster: dict[str, list[str]] = {}
    for i in order:
        x, y = edge_ends[i]
        cx, cy = cluster.get(x, [x]), cluster.get(y, [y])
        if cx is cy:
            continue
        if all(compatible(p, q) for p in cx for q in cy):
            joined = sorted(cx + cy, key=index._seq_of)
            for u in joined:
                cluster[u] = joined
    groups: list[DuplicateGroup] = []
    seen: set[int] = set()
    for members in cluster.values():
        if id(members) in seen:
            continue
        seen.add(id(members))
        scores = [pair_score(p, q) for i, p in enumerate(members) for q in members[i + 1 :]]
        weakest = min(scores, key=lambda s: s.log_odds)
        groups.append(DuplicateGroup(list(members), weakest.reasons, weakest.probability))
    groups.sort(key=lambda g: index._seq_of(g.uids[0]))
    return groups
