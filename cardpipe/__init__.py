"""cardpipe: business-card photos in, a clean merged contact book out."""

__version__ = "0.1.0"
