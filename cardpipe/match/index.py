"""``MatchIndex``: the contacts to match against, with blocking keys and term frequencies.

Blocking keeps the cost about linear in the book: an incoming contact is only scored
against records that share a key with it (an e-mail address, a phone number, a
spelling-tolerant name key, a company with initials).  A key shared by more than
``model.max_block_size`` records (a switchboard on 300 cards, "Smith|J" in a huge
book) is not used to find candidates — it says too little and would make the cost
quadratic — but its size still counts as the term frequency that weakens the evidence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

from ..contact import Contact
from .model import MatchModel, load_model
from .normalize import Features, features, given_groups, name_key

_MAX_GROUPS = 6


def _deletions(key: str) -> set[str]:
    """Every string with one letter deleted: two names one typo apart share one."""
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def block_keys(f: Features) -> set[str]:
    """The keys a contact is filed under (and looked up by)."""
    keys: set[str] = set()
    for e in f.emails:
        if not e.role:
            keys.add("e:" + e.key)
    for p in f.phones:
        keys.add("p:" + p.key)
        if p.tail:
            keys.add("t:" + p.tail)
    if f.family_key:
        initial = f.given[:1]
        keys.add(f"ni:{f.family_key}|{initial}")
        groups = sorted(given_groups(f.given))[:_MAX_GROUPS] if f.given else []
        for g in groups:
            keys.add(f"ng:{f.family_key}|{g}")
        if len(f.family_key) >= 4:
            for d in _deletions(f.family_key):
                keys.add(f"nd:{initial}|{d}")
        if f.given:
            gk = name_key(f.given)
            keys.add("ns:" + "|".join(sorted((gk, f.family_key))))
    if f.company:
        keys.add(f"c:{f.company}|{f.given[:1]}{f.family_key[:1]}")
    if f.birthday and not f.birthday.startswith("----"):
        # a date of birth meets a name misspelt beyond the name keys' reach
        keys.add("b:" + f.birthday)
    for a in f.address_parts:
        if a.home and a.number and a.postcode:
            # a home: meets a record whose names were misread or swapped (homes only:
            # an office's address would make each colleague a candidate)
            keys.add(f"h:{a.postcode}|{a.number}")
    return keys


def tf_keys(f: Features) -> set[tuple[str, str]]:
    """Values whose frequency in the index weakens the evidence they give."""
    keys: set[tuple[str, str]] = set()
    if f.name_tf_key:
        keys.add(("name", f.name_tf_key))
    if f.company:
        keys.add(("company", f.company))
    for d in f.domains:
        keys.add(("domain", d))
    for line, _ in f.addresses:
        keys.add(("address", line))
    for e in f.emails:
        keys.add(("email", e.key))
    for p in f.phones:
        keys.add(("phone", p.key))
    if f.birthday:
        keys.add(("birthday", f.birthday))
    return keys


class MatchIndex:
    """Contacts keyed by UID, with blocking keys and term frequencies.

    ``add(contact)`` files a contact (replacing the one with the same UID);
    ``add(merged, merged_from=incoming)`` records that ``incoming`` was merged into it,
    so that later contacts must agree with every card merged so far (no chaining).
    """

    def __init__(self, contacts: Iterable[Contact] | None = None,
                 model: MatchModel | None = None,
                 birthdays: Mapping[str, str | None] | None = None) -> None:
        self.model = model or load_model()
        self._contacts: dict[str, Contact] = {}
        self._features: dict[str, Features] = {}
        self._keys: dict[str, set[str]] = {}
        self._tf_keys: dict[str, set[tuple[str, str]]] = {}
        self._members: dict[str, list[Features]] = {}
        self._seq: dict[str, int] = {}
        self._blocks: dict[str, set[str]] = {}
        self._tf: Counter[tuple[str, str]] = Counter()
        self._next = 0
        birthdays = birthdays or {}
        for c in contacts or ():
            self.add(c, birthday=birthdays.get(c.uid or ""))

    # -- filing ---------------------------------------------------------------------
    def add(self, contact: Contact, *, merged_from: Contact | None = None,
            birthday: str | None = None, merged_birthday: str | None = None) -> None:
        """File ``contact`` under its UID (a contact without one cannot be a target).

        ``birthday``: its card's BDAY (a record that had one keeps it when the merged
        contact is filed again without); ``merged_birthday``: that of ``merged_from``."""
        uid = contact.uid
        if not uid:
            raise ValueError("MatchIndex.add needs a contact with a uid")
        members = self._members.get(uid, [])
        if uid in self._contacts:
            self._remove_keys(uid)
        old = self._features.get(uid)
        if birthday is None and old is not None and old.birthday:
            birthday = old.birthday
        f = features(contact, self.model, birthday)
        self._contacts[uid] = contact
        self._features[uid] = f
        if merged_from is not None:
            members = [*(members or [f]), features(merged_from, self.model, merged_birthday)]
        elif not members:
            members = [f]
        self._members[uid] = members
        if uid not in self._seq:
            self._seq[uid] = self._next
            self._next += 1
        keys = block_keys(f)
        self._keys[uid] = keys
        for k in keys:
            self._blocks.setdefault(k, set()).add(uid)
        tfk = tf_keys(f)
        self._tf_keys[uid] = tfk
        self._tf.update(tfk)

    def remove(self, uid: str) -> None:
        if uid in self._contacts:
            self._remove_keys(uid)
            for store in (self._contacts, self._features, self._members, self._seq):
                store.pop(uid, None)

    def _remove_keys(self, uid: str) -> None:
        for k in self._keys.pop(uid, ()):
            block = self._blocks.get(k)
            if block is not None:
                block.discard(uid)
                if not block:
                    del self._blocks[k]
        self._tf.subtract(self._tf_keys.pop(uid, ()))

    # -- looking up -----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._contacts)

    def __contains__(self, uid: object) -> bool:
        return uid in self._contacts

    def __iter__(self) -> Iterator[str]:
        return iter(self._contacts)

    def get(self, uid: str) -> Contact:
        return self._contacts[uid]

    def features_of(self, uid: str) -> Features:
        return self._features[uid]

    def members_of(self, uid: str) -> list[Features]:
        """The cards merged into this record so far (the record itself when none)."""
        return self._members[uid]

    def _seq_of(self, uid: str) -> int:
        return self._seq[uid]

    def tf_keys_of(self, uid: str) -> frozenset[tuple[str, str]]:
        return frozenset(self._tf_keys.get(uid, ()))

    def term_frequency(self, kind: str, key: str) -> int:
        return self._tf.get((kind, key), 0)

    def candidate_uids(self, f: Features, *, exclude: str | None = None) -> list[str]:
        """Records sharing a usable blocking key with ``f``, most shared keys first."""
        limit = self.model.max_block_size
        hits: Counter[str] = Counter()
        for k in block_keys(f):
            block = self._blocks.get(k)
            if block is None or len(block) > limit:
                continue
            hits.update(block)
        if exclude is not None:
            hits.pop(exclude, None)
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], self._seq[kv[0]]))
        return [uid for uid, _ in ranked[: self.model.max_candidates]]

    def candidates(self, contact: Contact) -> list[Contact]:
        """The records worth scoring against ``contact`` (see ``candidate_uids``)."""
        f = features(contact, self.model)
        return [self._contacts[u] for u in self.candidate_uids(f, exclude=contact.uid)]
