"""The rules of the shipped match model that protect people from false merges, checked on
the model file itself: change the data so that a rule no longer holds, and these fail."""

from __future__ import annotations

import pytest

from cardpipe import match
from cardpipe.contact import Address, Contact, Email
from cardpipe.match.decide import FieldResult, PairScore


def _pair(*classes: str, bits: float = 40.0) -> PairScore:
    """A pair whose evidence has the given classes and, together, ``bits`` of weight:
    far more than any merge threshold asks for."""
    fields = tuple(FieldResult(f"f{i}", "exact", "", bits / len(classes), False, cls)
                   for i, cls in enumerate(classes))
    return PairScore("x", bits, fields)


@pytest.fixture(scope="module")
def model() -> match.MatchModel:
    return match.load_model()


def test_a_name_alone_never_merges_however_strong_its_weight(model) -> None:
    name_only = _pair("name_strong")
    assert name_only.probability > model.merge_probability
    assert not name_only.can_merge(model)


def test_a_name_with_shared_context_or_a_personal_identifier_may_merge(model) -> None:
    # the same checks pass for the evidence the rule asks for: the rule, not the
    # threshold, is what stops a name alone
    assert _pair("name_strong", "context").can_merge(model)
    assert _pair("person").can_merge(model)
    assert not _pair("context").can_merge(model)  # an office is not a person either


def test_namesakes_in_the_same_city_stay_two_people(model) -> None:
    def person(uid: str | None, email: str) -> Contact:
        return Contact(full_name="Zephyrine Okonkwo-Baptiste", given_name="Zephyrine",
                       family_name="Okonkwo-Baptiste", uid=uid,
                       emails=(Email(email),), addresses=(Address(locality="Lagos"),))

    index = match.MatchIndex([person("a-1", "zephyrine@one.example")], model)
    decision = match.decide(person(None, "zephyrine@two.example"), index, model)
    assert decision.kind != "merged"
