"""linebox: the geometry of detected text-line boxes (line crops for the recogniser).
What the detector missed is checked with the real detector in test_ocr.py."""

from __future__ import annotations

import numpy as np

from cardpipe.scan import linebox


def test_line_crop_adds_room_left_and_right_but_not_above_and_below() -> None:
    # a margin above and below pulls in the neighbouring lines of closely set print and
    # shrinks the letters (the recogniser scales each line to one height)
    img = np.full((200, 400, 3), 255, np.uint8)
    box = np.float32([[50, 80], [250, 80], [250, 140], [50, 140]])
    crop = linebox.line_crop(img, box)
    assert crop.shape[0] == 60
    assert crop.shape[1] == round(200 + 2 * 0.15 * 60)


def test_line_crop_enlarges_small_print_to_the_recognisers_height() -> None:
    # the recogniser scales every line to 48 pixels (bilinear); a bicubic warp straight
    # to that height keeps small blurred letters apart better (bench_ocr hard +0.01)
    img = np.full((200, 400, 3), 255, np.uint8)
    img[88:102, 60:240] = 0
    box = np.float32([[50, 84], [250, 84], [250, 106], [50, 106]])  # a 22-pixel line
    crop = linebox.line_crop(img, box)
    k = linebox.LINE_HEIGHT / 22
    assert crop.shape[0] == linebox.LINE_HEIGHT
    assert crop.shape[1] == round((200 + 2 * 0.15 * 22) * k)
    ink = np.flatnonzero((crop[:, :, 0] < 128).any(axis=1))  # the bar, scaled with the box
    assert abs((ink[-1] - ink[0] + 1) - 14 * k) <= 2
