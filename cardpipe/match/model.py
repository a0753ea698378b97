"""The match model as data: comparisons with ordered levels, each with m and u
probabilities (Fellegi–Sunter), the prior and the decision rules.

The model lives in ``cardpipe/data/match_model.json``; ``load_model(path)`` reads
another file of the same shape.  Nothing here knows how a level is detected (that is
``compare.py``); this module only turns a level into a weight in bits:

    weight = log2(m / u)

where ``u`` is either a fixed probability or, for levels marked ``"per_book"``, a
number of look-alikes ``k``: "how many other people in a book of N records would
reach this level with a given contact".  Such a level's ``u`` is ``max(k, c) / N``
where ``c`` is the term frequency counted in the index (how many records share the
value: a switchboard on 40 cards, a common name).  The prior is
``log2(duplicate_rate / N)``, so for those levels the book size cancels out.

The word lists normalisation uses (webmail domains, shared mailboxes, legal forms)
are not part of the model: they are the lists in ``cardpipe/data`` the parser reads
too.  A model file may still carry a ``"words"`` section of its own, as older ones
did; its lists then replace the shared ones for that model.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from ..data import shared_mailboxes, webmail_domains
from ..errors import ConfigError
from .normalize import legal_suffixes

#: The levels each comparison in ``compare.py`` can return, best first.
LEVELS: dict[str, tuple[str, ...]] = {
    "name": ("exact", "normalised", "nickname", "fuzzy", "initial", "partial",
             "middle_differs", "family_only", "given_only", "different"),
    "email": ("exact", "shared", "fuzzy", "same_local", "same_domain", "different"),
    "mobile": ("exact", "shared", "different"),
    "phone": ("exact", "shared", "suffix", "different"),
    "company": ("exact", "domain", "fuzzy", "different"),
    "address": ("same", "close", "same_city", "different"),
    "social": ("exact", "different"),
    "birthday": ("exact", "partial", "transposed", "one_digit", "different"),
}

#: Evidence classes a level can carry (see ``MatchModel.merge_needs``).
CLASSES = ("person", "context", "name_strong", "name_weak", "birth", "birth_weak", "none")


@dataclass(frozen=True)
class Level:
    name: str
    m: float
    u: float | None = None  # fixed probability among non-matches
    per_book: float | None = None  # look-alikes k: u = max(k, tf_count) / N
    tf: bool = False  # use the index's term frequency for this level
    conflict: bool = False  # a strong disagreement: blocks a merge
    cls: str = "none"  # evidence class
    description: str = ""

    def weight(self, book_size: float, tf_count: int = 0) -> float:
        """The level's weight in bits for a book of ``book_size`` records."""
        if self.per_book is not None:
            looks = max(self.per_book, float(tf_count) if self.tf else 0.0)
            u = min(1.0, looks / book_size)
        else:
            u = self.u if self.u is not None else 1.0
            if self.tf and tf_count:
                u = max(u, min(1.0, tf_count / book_size))
        return math.log2(self.m / u)


@dataclass(frozen=True)
class Comparison:
    field: str
    levels: tuple[Level, ...]
    params: dict[str, Any] = dataclasses.field(default_factory=dict)

    def level(self, name: str) -> Level:
        for lv in self.levels:
            if lv.name == name:
                return lv
        raise KeyError(f"{self.field}: no level {name!r}")


@functools.cache
def _webmail() -> tuple[frozenset[str], frozenset[str]]:
    """(free email domains, services free under every TLD: 'hotmail' for hotmail.co.uk)."""
    domains = webmail_domains()
    return (frozenset(d for d in domains if not d.endswith(".*")),
            frozenset(d[:-2] for d in domains if d.endswith(".*")))


@dataclass(frozen=True)
class MatchModel:
    """Comparisons, prior, thresholds and the word lists normalisation uses."""

    comparisons: dict[str, Comparison]
    duplicate_rate: float = 0.3
    min_book_size: int = 1000
    merge_probability: float = 0.99
    review_probability: float = 0.5
    merge_needs: tuple[frozenset[str], ...] = (frozenset({"person"}),)
    review_needs_on_conflict: frozenset[str] = frozenset({"person"})
    context_combine: str = "strongest"  # or "sum"
    #: conflicts ("field.level") that evidence of all of ``conflict_yields_needs`` lifts
    conflict_yields: frozenset[str] = frozenset()
    conflict_yields_needs: frozenset[str] = frozenset({"birth", "context"})
    max_block_size: int = 60
    max_candidates: int = 40
    free_email_domains: frozenset[str] = dataclasses.field(default_factory=lambda: _webmail()[0])
    free_email_labels: frozenset[str] = dataclasses.field(default_factory=lambda: _webmail()[1])
    role_email_locals: frozenset[str] = dataclasses.field(default_factory=shared_mailboxes)
    company_suffixes: frozenset[str] = dataclasses.field(default_factory=legal_suffixes)
    source: str = ""

    def book_size(self, n: int) -> float:
        return float(max(n, self.min_book_size))

    def prior_bits(self, n: int) -> float:
        """log2 prior odds that an incoming contact is one given record of a book of n."""
        rate = self.duplicate_rate
        return math.log2(rate / (1 - rate)) - math.log2(self.book_size(n))

    def is_free_domain(self, domain: str) -> bool:
        if domain in self.free_email_domains:
            return True
        label = domain.split(".")[0] if "." in domain else domain
        return label in self.free_email_labels

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "duplicate_rate": self.duplicate_rate,
            "merge_probability": self.merge_probability,
            "review_probability": self.review_probability,
            "comparisons": {
                f: [lv.__dict__ for lv in c.levels] for f, c in self.comparisons.items()
            },
        }


def _level(d: dict[str, Any], where: str) -> Level:
    try:
        lv = Level(
            name=str(d["level"]),
            m=float(d["m"]),
            u=float(d["u"]) if "u" in d else None,
            per_book=float(d["per_book"]) if "per_book" in d else None,
            tf=bool(d.get("tf", False)),
            conflict=bool(d.get("conflict", False)),
            cls=str(d.get("class", "none")),
            description=str(d.get("description", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: bad level {d!r} ({exc})") from exc
    if lv.cls not in CLASSES:
        raise ConfigError(f"{where}: level {lv.name!r} has unknown class {lv.cls!r}")
    if not 0 < lv.m <= 1 or (lv.u is None) == (lv.per_book is None):
        raise ConfigError(f"{where}: level {lv.name!r} needs 0<m<=1 and exactly one of u, per_book")
    if lv.u is not None and not 0 < lv.u <= 1:
        raise ConfigError(f"{where}: level {lv.name!r} needs 0<u<=1")
    return lv


def model_from_dict(data: dict[str, Any], source: str = "") -> MatchModel:
    """Build a model from the JSON structure (raises ConfigError when it is malformed)."""
    try:
        comps = {}
        for f, spec in data["comparisons"].items():
            levels = tuple(_level(d, f"{source}: {f}") for d in spec["levels"])
            if f not in LEVELS:
                raise ConfigError(f"{source}: unknown comparison {f!r} (known: {', '.join(LEVELS)})")
            missing = set(LEVELS[f]) - {lv.name for lv in levels}
            if missing:
                raise ConfigError(f"{source}: comparison {f!r} lacks levels {sorted(missing)}")
            comps[f] = Comparison(f, levels, dict(spec.get("params", {})))
        prior = data.get("prior", {})
        thresholds = data.get("thresholds", {})
        rules = data.get("rules", {})
        blocking = data.get("blocking", {})
        model = MatchModel(
            comparisons=comps,
            duplicate_rate=float(prior.get("duplicate_rate", 0.3)),
            min_book_size=int(prior.get("min_book_size", 1000)),
            merge_probability=float(thresholds.get("merge", 0.99)),
            review_probability=float(thresholds.get("review", 0.5)),
            merge_needs=tuple(frozenset(x) for x in rules.get("merge_needs", [["person"]])),
            review_needs_on_conflict=frozenset(rules.get("review_needs_on_conflict", ["person"])),
            context_combine=str(rules.get("context_combine", "strongest")),
            conflict_yields=frozenset(rules.get("conflict_yields", {}).get("levels", [])),
            conflict_yields_needs=frozenset(
                rules.get("conflict_yields", {}).get("needs", ["birth", "context"])),
            max_block_size=int(blocking.get("max_block_size", 60)),
            max_candidates=int(blocking.get("max_candidates", 40)),
            source=source,
        )
        # (older model files carry their own word lists: they replace the shared ones)
        words = data.get("words", {})
        return replace(
            model,
            free_email_domains=frozenset(words.get("free_email_domains", model.free_email_domains)),
            free_email_labels=frozenset(words.get("free_email_labels", model.free_email_labels)),
            role_email_locals=frozenset(words.get("role_email_locals", model.role_email_locals)),
            company_suffixes=frozenset(words.get("company_suffixes", model.company_suffixes)),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{source or 'match model'}: malformed ({exc})") from exc


_DEFAULT: MatchModel | None = None


def load_model(path: str | Path | None = None) -> MatchModel:
    """Load the match model: the packaged one, or a JSON file of the same shape."""
    global _DEFAULT
    if path is None:
        if _DEFAULT is None:
            text = resources.files("cardpipe").joinpath("data/match_model.json").read_text("utf-8")
            _DEFAULT = model_from_dict(json.loads(text), "cardpipe/data/match_model.json")
        return _DEFAULT
    p = Path(path)
    try:
        data = json.loads(p.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the match model ({exc.strerror or exc})") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{p}: not JSON ({exc})") from exc
    return model_from_dict(data, str(p))
