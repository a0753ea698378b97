"""Pull from and push to the CardDAV address book, never losing an edit on either side.

The ledger keeps, per card, the ETag and the ``content_key`` both sides last agreed on.
From that a run can tell for every card who changed it since:

============================  ===========================================================
server ETag changed, local    take the server's card into the book (an edit on the phone)
unchanged
local changed, server not     PUT with ``If-Match: <etag>``
both changed                  three-way merge against the last agreed text (``threeway``):
                              every property changed on either side kept, a property both
                              changed differently reported (the server's kept, ours in the
                              note); without that text (an older ledger): merge field-wise
                              on top of the server's card; push the result
same content on both sides    just remember the new ETag (e.g. a PUT whose answer a killed
                              run never recorded)
new on the server             add it to the book
gone from the server          keep it in the book, report it, do not upload it again
                              unless it changes here
new here                      PUT with ``If-None-Match: *``
============================  ===========================================================

Pulling only changes the book in memory and returns the ledger writes to make once
the book is saved; pushing records each card right after its PUT.  A run killed
anywhere is therefore finished by the next one (see ``cardpipe.sync``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import merge, vcard
from ..contact import Contact
from ..errors import CardpipeError
from . import threeway
from .bookview import BookView
from .carddav import CardDAVClient, PreconditionFailed, RemoteCard, UnexpectedStatus, content_key
from .ledger import Ledger, RemoteState
from .report import SyncReport


@dataclass(frozen=True)
class StateWrite:
    href: str
    uid: str | None
    etag: str | None
    content: str | None
    local: str | None = None  # hash of the book's text when it has exactly ``content``
    base: str | None = None  # the card's text both sides then agree on


Checkpoint = Callable[[str], None]
#: runs in a row a card the server refuses is sent again before it is only reported
MAX_PUSH_ATTEMPTS = 3
#: statuses that say the server as a whole is down, not that it refuses one card
_SERVER_DOWN = frozenset({502, 503, 504})
_SERVER_WINS = ("full_name", "given_name", "family_name", "middle_name", "prefix", "suffix",
                "nickname", "photo")


_IGNORED = frozenset({"uid", "rev", "confidence", "evidence", "sources"})


def _adds_nothing(mine: Contact, merged: Contact) -> bool:
    """Does ``merged`` (``mine`` with a server copy merged in) say nothing ``mine`` does
    not?  The merge compares phones with ``merge.same_number``, so a number the server
    rewrote (``07412 402056`` -> ``+497412402056``) counts as the same."""
    return all(getattr(mine, f.name) == getattr(merged, f.name)
               for f in dataclasses.fields(Contact) if f.name not in _IGNORED)


class Remote:
    def __init__(
        self,
        client: CardDAVClient,
        ledger: Ledger,
        report: SyncReport,
        log: Callable[..., None],
    ) -> None:
        self.client = client
        self.ledger = ledger
        self.report = report
        self.log = log
        self.collection = client.discover(known=ledger.collection_for(client.url))
        report.carddav = self.collection
        self._sync_token: str | None = None
        self._ctag: str | None = None
        self._uploaded = False

    # -- pull ------------------------------------------------------------------------
    def pull(self, view: BookView) -> list[StateWrite]:
        """Bring the server's changes into the book (in memory); return the state to
        record once the book is saved."""
        states = self.ledger.remote_states(self.collection)
        etags = self._server_etags(states)
        writes: list[StateWrite] = []
        changed = [h for h, e in etags.items() if (states.get(h) is None
                                                    or states[h].etag != e)]
        for card in sorted(self.client.fetch(changed), key=lambda c: c.href):
            etag = card.etag or etags.get(card.href)
            write = self._pull_one(view, card, etag, states.get(card.href))
            if write is not None:
                writes.append(write)
        for href, state in sorted(states.items()):
            if href in etags or state.etag is None:
                continue
            # Deleted on the server (or on the phone): keep the contact here.
            uid = state.uid
            local = view.text(uid) if uid else None
            self.report.pulled.append(
                (uid or href, "deleted on the server; kept in the book, not uploaded again "
                              "unless it changes here")
            )
            self.log("pull", uid=uid, href=href, what="deleted on server")
            writes.append(StateWrite(href, uid, None,
                                     content_key(local) if local is not None else None,
                                     view.raw_hash(uid) if uid else None))
        return writes

    def _server_etags(self, states: dict[str, RemoteState]) -> dict[str, str]:
        """href -> ETag of every card on the server, at the cost the server allows: the
        collection's sync-token or ctag unchanged since a run that knew every card -> none
        listed (one request on a quiet night); a sync-token known to the server -> only
        what changed since (RFC 6578); else the whole listing (also after a run that
        uploaded: see ``finish``)."""
        tokens = self.client.tokens()
        kept_token, kept_ctag = self.ledger.collection_tokens(self.collection)
        known = {h: s.etag for h, s in states.items() if s.etag is not None}
        self._ctag = tokens.ctag
        if tokens.sync_token and kept_token:
            if tokens.sync_token == kept_token:
                self._sync_token = kept_token
                return known
            changes = self.client.changes_since(kept_token)
            if changes is not None:
                self._sync_token = changes.token
                etags = {**known, **changes.changed}
                for href in changes.removed:
                    etags.pop(href, None)
                return etags
        elif not tokens.sync_token and tokens.ctag and kept_ctag == tokens.ctag:
            return known
        # Read before the listing: what changes after it shows again next time.
        self._sync_token = tokens.sync_token
        return self.client.list_etags()

    def finish(self) -> None:
        """Keep the collection's tokens for the next run once every card's state is
        recorded, but only from a run that uploaded nothing: our uploads come after the
        token was read, and a card we created that the phone then deleted is, for the
        server, no change since that token, so the next run must list the book."""
        if self._uploaded:
            self.ledger.set_collection_tokens(self.collection, None, None, url=self.client.url)
        else:
            self.ledger.set_collection_tokens(self.collection, self._sync_token, self._ctag,
                                              url=self.client.url)

    def _pull_one(
        self, view: BookView, card: RemoteCard, etag: str | None, state: RemoteState | None
    ) -> StateWrite | None:
        server_key = content_key(card.text)
        parsed = vcard.read_vcards(card.text, source=card.href)
        ok = [c for c in parsed if c.ok]
        if len(ok) != 1 or not ok[0].uid:
            reason = parsed[0].error if parsed and parsed[0].error else "not one card with a UID"
            self.report.remote_problems.append((card.href, f"server card skipped: {reason}"))
            return None
        uid = ok[0].uid
        assert uid is not None
        local = view.text(uid)
        if local is None:
            view.put_card(ok[0])
            what = "added from the server"
            same = True
        elif content_key(local) == server_key:
            return StateWrite(card.href, uid, etag, server_key, view.raw_hash(uid), card.text)
        elif state is not None and state.content is not None and content_key(local) == state.content:
            own = view.own_text(uid) if state.base is not None else None
            if own is not None and content_key(own) != state.content:
                # The server has our card as we converted it for upload (a 2.1 card, a
                # picture it cannot store): its edit goes on top of the book's own card.
                result = threeway.merge3(state.base or "", own, card.text)
                view.book.put_text(result.text, uid=uid)
            else:
                view.put_card(ok[0])
            what = "updated from the server"
            same = True
        elif state is not None and state.base is not None and \
                content_key(state.base) == state.content:
            # Changed on both sides since the version both last agreed on: three-way.
            what = self._merge3(view, uid, state.base, local, card.text)
            same = content_key(view.text(uid) or "") == server_key  # else it goes up
        else:
            # Changed on both sides with no common version known (never synced, a fresh or
            # lost ledger, an older ledger without texts): merge field by field.
            mine = view.contact(uid)
            theirs = ok[0].contact
            assert theirs is not None
            region = view.book.region
            merged = theirs
            if mine is not None:
                merged = merge.merge(mine, theirs, region=region)
                # A name or photo changed on the phone is a person's correction: it wins.
                merged = merged.replace(**{n: getattr(theirs, n) or getattr(merged, n)
                                           for n in _SERVER_WINS})
                if _adds_nothing(mine, merged):
                    # The server's copy says nothing ours does not (e.g. our card as the
                    # server rewrote it, and a lost or fresh ledger, or a run killed just
                    # after its PUT): nothing to take.  When ours says nothing more either,
                    # both sides agree; else ours still goes up (``local`` None).
                    agreed = _adds_nothing(theirs, merge.merge(theirs, mine, region=region))
                    self.log("pull", uid=uid, href=card.href, what="same card, rewritten"
                             if agreed else "nothing new on the server")
                    return StateWrite(card.href, uid, etag, server_key,
                                      view.raw_hash(uid) if agreed else None, card.text)
            view.put_card(ok[0], contact=merged)
            what = "changed on both sides: merged field by field"
            same = False  # the merge still has to go to the server
            self.report.conflicts.append(
                (uid, "kept both sides' emails, phones, websites, addresses and note lines; "
                      "name, photo, title and company from the server (a different local "
                      "title or company is kept in the note)")
            )
        self.report.pulled.append((uid, what))
        self.log("pull", uid=uid, href=card.href, what=what)
        return StateWrite(card.href, uid, etag, server_key, view.raw_hash(uid) if same else None,
                          card.text)

    def _merge3(self, view: BookView, uid: str, base: str, mine: str, theirs: str) -> str:
        """Both sides changed the card since ``base``: keep every change of either side
        (``threeway.merge3``); a property both changed differently is reported."""
        result = threeway.merge3(base, mine, theirs)
        view.book.put_text(result.text, uid=uid)
        if result.conflicts:
            self.report.conflicts.append(
                (uid, "changed on both sides: " + "; ".join(
                    f"{c.name} here {c.ours!r}, on the server {c.theirs!r} (the server's "
                    "kept, ours in the note)" for c in result.conflicts)))
        return ("changed on both sides: merged (ours: " + (", ".join(result.changed_here) or
                "nothing") + "; the server's: " + (", ".join(result.changed_there) or
                                                   "nothing") + ")")

    # -- push ------------------------------------------------------------------------
    def push(self, view: BookView, *, dry_run: bool, checkpoint: Checkpoint,
             pulled: Sequence[StateWrite] = ()) -> None:
        """PUT every card whose content the server does not have.

        ``pulled``: the state ``pull`` found; a real run records it before pushing, a dry
        run cannot, so it is laid over the ledger's here (the dry run then reports what
        the real run would push).  A card the server refuses (an error status for that
        card, or a 412 for a card that is not there) is reported by name and skipped; it
        is tried again on the next runs, at most ``MAX_PUSH_ATTEMPTS`` times while it
        does not change.  A server that cannot be reached, or says it is unavailable
        (502, 503, 504), stops the run (``ServerError``, exit 8).
        """
        states = self.ledger.remote_states(self.collection)
        if dry_run:
            for w in pulled:
                states[w.href] = RemoteState(w.href, w.uid, w.etag, w.content, w.local)
        refusals = self.ledger.refusals(self.collection)
        by_uid: dict[str, RemoteState] = {}
        for known in states.values():
            if known.uid and (known.uid not in by_uid or known.etag is not None):
                by_uid[known.uid] = known
        for uid in view.uids():
            state = by_uid.get(uid)
            raw = view.raw_hash(uid)
            if state is not None and state.local is not None and state.local == raw:
                continue  # the book's text is what was synced: no need to look closer
            text = view.text(uid)
            if text is None:
                continue
            key = content_key(text)
            if state is not None and state.content == key:
                if not dry_run:  # same content, new text (e.g. re-rendered): remember it
                    self.ledger.set_remote(self.collection, state.href, uid=uid,
                                           etag=state.etag, content=key, local=raw,
                                           base=state.base)
                continue
            refused = refusals.get(uid)
            if (refused is not None and refused.content == key
                    and refused.attempts >= MAX_PUSH_ATTEMPTS):
                self.report.remote_problems.append(
                    (uid, f"{self._name(view, uid)}: the server refused this card "
                          f"{refused.attempts} times ({refused.reason}); not sent again "
                          "until it changes")
                )
                continue
            href = state.href if state is not None else self.client.href_for(uid)
            etag = state.etag if state is not None else None
            what = "updated" if etag else "created"
            if dry_run:
                self.report.pushed.append((uid, what))
                continue
            self._uploaded = True  # even a PUT that fails may have landed
            try:
                new_etag = self.client.put(href, text, etag=etag)
            except PreconditionFailed:
                self._precondition_failed(view, uid, href, key, raw, creating=etag is None)
                continue
            except ValueError as exc:  # not one card with a UID: never sent
                self.report.remote_problems.append(
                    (uid, f"{self._name(view, uid)}: not uploaded: {exc}"))
                continue
            except UnexpectedStatus as exc:
                if exc.status in _SERVER_DOWN:
                    raise
                self._refused(view, uid, href, key, f"{exc.status} for the PUT")
                continue
            checkpoint("put-sent")  # the server has it, the ledger does not know yet
            if new_etag is None:
                fetched = self.client.get(href)
                new_etag = fetched.etag if fetched else None
            with self.ledger.transaction():
                self.ledger.set_remote(self.collection, href, uid=uid, etag=new_etag,
                                       content=key, local=raw, base=text)
                if refused is not None:
                    self.ledger.clear_refusal(self.collection, uid)
            self.report.pushed.append((uid, what))
            self.log("push", uid=uid, href=href, what=what)

    def _name(self, view: BookView, uid: str) -> str:
        contact = view.contact(uid)
        name = contact.full_name if contact is not None else None
        return name or uid

    def _refused(self, view: BookView, uid: str, href: str, key: str, reason: str) -> None:
        """The server would not take this card: count it, report it by name, go on."""
        attempts = self.ledger.refuse(self.collection, uid, content=key, reason=reason)
        left = MAX_PUSH_ATTEMPTS - attempts
        then = (f"tried again on the next {left} run(s)" if left > 0
                else "not sent again until it changes")
        self.report.remote_problems.append(
            (uid, f"{self._name(view, uid)}: the server refused the card ({reason}; "
                  f"{attempts} of {MAX_PUSH_ATTEMPTS}); {then}")
        )
        self.log("push_refused", uid=uid, href=href, reason=reason, attempts=attempts)

    def _precondition_failed(self, view: BookView, uid: str, href: str, key: str,
                             raw: str | None, *, creating: bool) -> None:
        """The card changed on the server since we pulled (or we created it already in a
        run that was killed): same content -> record it; else the next run merges it.
        Not there at all (404) after ``If-None-Match: *``: the server refused the card
        (some answer 412 for a card they cannot read), which is no edit conflict."""
        try:
            card = self.client.get(href)
        except CardpipeError as exc:
            self.report.remote_problems.append((uid, exc.one_line()))
            return
        if card is None and creating:
            self._refused(view, uid, href, key,
                          "412 for a new card that is not on the server: it cannot read it")
            return
        if card is not None and content_key(card.text) == key:
            self.ledger.set_remote(self.collection, href, uid=uid, etag=card.etag, content=key,
                                   local=raw, base=card.text)
            self.report.pushed.append((uid, "already on the server"))
            return
        self.report.remote_problems.append(
            (uid, "changed on the server during this run; the next run merges it")
        )
        self.log("push_conflict", uid=uid, href=href)

    def record(self, writes: list[StateWrite]) -> None:
        with self.ledger.transaction():
            for w in writes:
                self.ledger.set_remote(self.collection, w.href, uid=w.uid, etag=w.etag,
                                       content=w.content, local=w.local, base=w.base)
