"""Matching: is an incoming contact someone already in the book?

Normalise (``normalize``), block (``MatchIndex``), compare field by field
(``compare``) and weigh the levels with the match model in data
(``cardpipe/data/match_model.json``, ``load_model``) into a ``Decision`` that says
why.  ``find_duplicates`` finds the duplicate groups already inside a book.
"""

from .decide import (
    Decision,
    DuplicateGroup,
    FieldResult,
    PairScore,
    decide,
    duplicates_in,
    find_duplicates,
    score,
)
from .em import Learned, estimate, explain, learn
from .index import MatchIndex
from .model import Level, MatchModel, load_model, model_from_dict
from .normalize import company_key, features, name_key, nickname_related

__all__ = [
    "Decision",
    "DuplicateGroup",
    "FieldResult",
    "Learned",
    "Level",
    "MatchIndex",
    "MatchModel",
    "PairScore",
    "company_key",
    "decide",
    "estimate",
    "explain",
    "duplicates_in",
    "features",
    "find_duplicates",
    "learn",
    "load_model",
    "model_from_dict",
    "name_key",
    "nickname_related",
    "score",
]
