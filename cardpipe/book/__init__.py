"""Where a contact book lives: a .vcf file or a vdir folder (``store``), written safely
(``files``: atomic, fsynced, backed up), and exported for phones and spreadsheets
(``export``)."""

from .store import Book

__all__ = ["Book"]
