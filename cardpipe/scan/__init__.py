"""The scan stage: a photo in, one :class:`~cardpipe.scan.page.OcrPage` per card out.

``inputs`` (which files are photos), ``images`` (open them safely), ``preprocess`` (find
and straighten the card, even out the light), ``qrcode`` (decode and blank QR codes),
``orient`` and ``reader`` (turn the card upright and have an engine read it), ``engines``
(the :class:`~cardpipe.scan.engines.Engine` interface and RapidOCR, Tesseract, cascade),
``layout`` and ``linebox`` (words into lines, line boxes into crops), ``page`` (the result
model) and ``thumbnail`` (the card as a contact photo).

Nothing is imported here, so that ``cardpipe.scan.page`` loads without OpenCV.
"""
