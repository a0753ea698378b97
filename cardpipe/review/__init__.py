"""The review page (``cardpipe review``): what the machine is unsure of, decided by a person.

``session``: what needs a look (contacts marked for review, fields read below 0.6
confidence, with the match candidate and the reasons) and the decisions (accept, edit,
merge, keep separate, skip, undo), written to the book and recorded in the ledger.
``server``: the page on 127.0.0.1 behind a one-time token, with its own script and style.
"""

from .server import ReviewServer, serve
from .session import LOW_CONFIDENCE, Item, ReviewError, ReviewSession

__all__ = ["LOW_CONFIDENCE", "Item", "ReviewError", "ReviewServer", "ReviewSession", "serve"]
