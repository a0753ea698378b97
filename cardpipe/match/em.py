"""Learning the match model's m probabilities from the user's own book, without labels.

Fellegi–Sunter with expectation–maximisation, as Splink does it: over the candidate
pairs the blocking finds (the book against itself for ``dedupe``, the incoming batch
against the book for ``merge``), each pair's match probability is computed with the
current m (E), then each level's m is re-estimated as the probability-weighted share of
the matching pairs reaching it (M).  The ``u`` side stays as the model defines it (a
fixed share among candidate pairs, or look-alikes per book with the term frequencies
of the index): the non-matching pairs are many and well described by frequencies,
the matching ones are what differs from one book to another (a phone book has typed
birthdays with typos, a card box has OCR'd e-mails).

The shipped model is the prior: its m count as ``prior_pairs`` pseudo-pairs, so a
level the book rarely shows keeps the shipped value, and a book with fewer than
``min_matches`` expected matches keeps the shipped model as it is (too little to learn
from).  The prior odds are the model's (calibrated on the generators), so the learned
posterior means what it says: of pairs at probability 0.9, about nine in ten match.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..contact import Contact
from .compare import compare_all
from .index import MatchIndex
from .model import Comparison, MatchModel
from .normalize import Features, features

#: (field, level, log2 u) of one pair's present fields
_Pair = tuple[tuple[str, str, float], ...]


def _pair_bits(pair: _Pair, m: dict[str, dict[str, float]], prior: float,
               model: MatchModel) -> float:
    """A pair's log-odds as ``decide.score_features`` weighs it (of agreeing context
    only the strongest counts), and -inf when a conflict stands: EM must learn what
    the decisions will use, or it learns a colleague (same company, office and
    switchboard, another name) as a match."""
    bits = prior
    context: list[float] = []
    classes: set[str] = set()
    conflicts: list[str] = []
    for f, lv, log_u in pair:
        level = model.comparisons[f].level(lv)
        w = math.log2(m[f][lv]) - log_u
        if w > 0:
            classes.add(level.cls)
        if level.conflict:
            conflicts.append(f"{f}.{lv}")
        if level.cls == "context" and w > 0 and model.context_combine == "strongest":
            context.append(w)
        else:
            bits += w
    bits += max(context, default=0.0)
    lifted = model.conflict_yields_needs <= classes
    if any(c not in model.conflict_yields or not lifted for c in conflicts):
        return -math.inf
    return bits


@dataclass(frozen=True)
class Learned:
    """What ``estimate`` found: the model to use and how it got there."""

    model: MatchModel
    pairs: int  # candidate pairs looked at
    matches: float  # expected number of matching pairs among them
    iterations: int
    learned: bool  # False: too little to learn from, the shipped model is used

    def to_dict(self) -> dict[str, object]:
        return {"pairs": self.pairs, "expected_matches": round(self.matches, 1),
                "iterations": self.iterations, "learned": self.learned,
                "model": self.model.to_dict()}


def _pair_levels(a: Features, b: Features, a_uid: str | None, index: MatchIndex,
                 model: MatchModel, size: float) -> _Pair:
    params = {f: c.params for f, c in model.comparisons.items()}
    own = index.tf_keys_of(a_uid) if a_uid is not None and a_uid in index else frozenset()

    def tf(kind: str, key: str) -> int:
        return index.term_frequency(kind, key) - ((kind, key) in own)

    out = []
    for name, o in compare_all(a, b, params, tf).items():
        if o.level is None:
            continue
        lv = model.comparisons[name].level(o.level)
        count = tf(*o.tf_key) if o.tf_key else 0
        log_u = math.log2(lv.m) - lv.weight(size, count)
        out.append((name, o.level, log_u))
    return tuple(out)


def candidate_pairs(
    index: MatchIndex,
    queries: Iterable[tuple[Features, str | None]] | None = None,
    *,
    max_pairs: int = 60_000,
    seed: int = 0,
) -> list[tuple[Features, str | None, str]]:
    """The pairs blocking finds: each query against its candidates (default: every
    record against the others, each pair once), a seeded sample of at most
    ``max_pairs`` so that learning costs the same on a book of any size."""
    qs: list[tuple[Features, str | None]]
    if queries is None:
        qs = [(index.features_of(u), u) for u in index]
        within = True
    else:
        qs = list(queries)
        within = False
    rng = random.Random(seed)
    if len(qs) > max_pairs // 4:
        qs = rng.sample(qs, max_pairs // 4)
    pairs: list[tuple[Features, str | None, str]] = []
    for f, uid in qs:
        for other in index.candidate_uids(f, exclude=uid):
            if within and uid is not None and index._seq_of(other) < index._seq_of(uid):
                continue
            pairs.append((f, uid, other))
    if len(pairs) > max_pairs:
        pairs = rng.sample(pairs, max_pairs)
    return pairs


def estimate(
    index: MatchIndex,
    model: MatchModel | None = None,
    queries: Iterable[tuple[Features, str | None]] | None = None,
    *,
    iterations: int = 10,
    prior_pairs: float = 30.0,
    min_matches: float = 50.0,
    max_pairs: int = 60_000,
    learn_prior: bool = True,
) -> Learned:
    """EM over the blocked candidate pairs of ``index`` (or of ``queries`` against it);
    returns the model with the learned m (or the shipped one when there is too little)."""
    model = model or index.model
    n = len(index)
    size = model.book_size(n)
    prior = model.prior_bits(n)
    found = candidate_pairs(index, queries, max_pairs=max_pairs)
    pairs = [_pair_levels(f, index.features_of(o), uid, index, model, size)
             for f, uid, o in found]
    # pairs each query could form: the later records (a book against itself) or all
    n_queries = max(1, len({id(f) for f, _, _ in found}))
    per_query = max(1.0, n / 2 if queries is None else float(n))
    m0 = {f: _normalised(c) for f, c in model.comparisons.items()}
    m = {f: dict(levels) for f, levels in m0.items()}
    total = 0.0
    done = 0
    for step in range(1, iterations + 1):
        done = step
        counts = {f: dict.fromkeys(levels, 0.0) for f, levels in m0.items()}
        present = dict.fromkeys(m0, 0.0)
        total = 0.0
        for pair in pairs:
            bits = _pair_bits(pair, m, prior, model)
            p = 1.0 / (1.0 + 2.0 ** -bits) if bits > -60 else 0.0
            total += p
            for f, lv, _ in pair:
                counts[f][lv] += p
                present[f] += p
        new = {
            f: {lv: (counts[f][lv] + prior_pairs * m0[f][lv]) / (present[f] + prior_pairs)
                for lv in levels}
            for f, levels in m0.items()
        }
        change = max(abs(new[f][lv] - m[f][lv]) for f in m for lv in m[f])
        m = new
        # the prior odds that a query and one record are one person, from the matches
        # expected (as the shipped prior, shrunk towards it by the same pseudo-pairs)
        if learn_prior:
            odds = (total + prior_pairs * _odds(model, n)) / (n_queries + prior_pairs) / per_query
            prior = math.log2(min(max(odds, 1e-12), 1e6))
        if change < 1e-4:
            break
    if total < min_matches:
        return Learned(model, len(pairs), total, done, False)
    comps = {
        f: replace(c, levels=tuple(replace(lv, m=max(m[f][lv.name], 1e-6)) for lv in c.levels))
        for f, c in model.comparisons.items()
    }
    odds = 2.0 ** prior * size
    rate = min(max(odds / (1.0 + odds), 0.01), 0.95) if learn_prior else model.duplicate_rate
    learned = replace(model, comparisons=comps, duplicate_rate=rate,
                      source=f"{model.source} + EM over {len(pairs):,} pairs of this book")
    return Learned(learned, len(pairs), total, done, True)


def _odds(model: MatchModel, n: int) -> float:
    """The shipped prior as matches expected per query."""
    return 2.0 ** model.prior_bits(n) * model.book_size(n)


def _normalised(c: Comparison) -> dict[str, float]:
    total = sum(lv.m for lv in c.levels)
    return {lv.name: lv.m / total for lv in c.levels}


def explain(learned: Learned, book_size: int) -> list[str]:
    """The weights as a table, one line per level: m, u and the weight in bits at this
    book's size (u of look-alike levels shown for a value on no other record)."""
    model = learned.model
    size = model.book_size(book_size)
    head = ("learned from this book" if learned.learned
            else "shipped model (too little to learn from)")
    lines = [f"match model: {head}; {learned.pairs:,} candidate pairs, "
             f"about {learned.matches:,.0f} matching; prior {model.prior_bits(book_size):+.1f} "
             f"bits; merge at p >= {model.merge_probability}, review at p >= "
             f"{model.review_probability}"]
    for f, c in model.comparisons.items():
        for lv in c.levels:
            w = lv.weight(size)
            u = lv.m / 2 ** w
            flags = " conflict" if lv.conflict else ""
            lines.append(f"  {f:9} {lv.name:15} m={lv.m:.4f} u={u:.6f} "
                         f"weight={w:+6.1f} bits  [{lv.cls}{flags}]")
    return lines


def learn(index: MatchIndex, model: MatchModel | None = None,
          batch: Iterable[tuple[Contact, str | None]] = ()) -> MatchModel:
    """The model to match ``batch`` (contacts with their cards' BDAY) against ``index``
    with: m learned from the batch's candidate pairs in the book (``estimate``), the
    given model as prior and fallback."""
    model = model or index.model
    queries = [(features(c, index.model, bday), c.uid if c.uid in index else None)
               for c, bday in batch]
    if not queries:
        return model
    # the prior stays the model's: a batch is too small a sample of the book to say
    # how many of its cards are people already in it
    return estimate(index, model, queries, learn_prior=False).model
