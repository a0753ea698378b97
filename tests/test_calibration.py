"""Calibrated confidences: the shipped table's shape, the mapping, and the fitting steps."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from cardpipe.parse import calibration, parse_page
from cardpipe.scan.page import OcrPage

ROOT = Path(__file__).resolve().parent.parent


def _fitter():
    spec = importlib.util.spec_from_file_location("fit_calibration",
                                                  ROOT / "scripts" / "fit_calibration.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("text,script", [
    ("김민준\n대표이사\n(주)한빛전자", "cjk"),
    ("山田 太郎\n株式会社サンプル\n営業部 部長", "cjk"),
    ("王小明\n总经理\n上海示例有限公司\nTel 021-5555-0100", "cjk"),
    ("Jane Doe\nHead of Sales\nExample GmbH\njane@example.de", "latin"),
    ("", "latin"),
])
def test_script_of_tells_cjk_cards_from_latin_ones(text, script):
    assert calibration.script_of(text) == script


def test_shipped_table_maps_are_monotone_and_within_0_1():
    maps = calibration.table().get("maps", {})
    assert maps, "cardpipe/data/calibration.json ships a fitted table"
    for field, by_script in maps.items():
        for script, points in by_script.items():
            xs = [p[0] for p in points]
            ys = [p[1] for p in points]
            assert xs == sorted(xs), (field, script)
            assert ys == sorted(ys), (field, script)
            assert all(0.0 <= y <= 1.0 for y in ys)


def test_calibrate_uses_the_field_table_then_the_pooled_one(monkeypatch):
    table = {"maps": {"emails": {"latin": [[0.0, 0.1], [1.0, 0.9]]},
                      "*": {"all": [[0.0, 0.0], [1.0, 0.5]]}}}
    monkeypatch.setattr(calibration, "table", lambda: table)
    out = calibration.calibrate({"emails": 0.5, "title": 1.0}, "latin")
    assert out == {"emails": 0.5, "title": 0.5}
    # a script the field was not fitted for falls back to the pooled map
    assert calibration.calibrate({"emails": 1.0}, "cjk") == {"emails": 0.5}


def test_parse_page_reports_raw_scores_only_when_asked(monkeypatch):
    page = OcrPage.from_lines(["Jane Doe", "Head of Sales", "Example GmbH",
                               "jane.doe@example.de", "+49 30 1234567"])
    raw = parse_page(page, calibrated=False).confidence
    monkeypatch.setattr(calibration, "table",
                        lambda: {"maps": {"*": {"all": [[0.0, 0.0], [1.0, 0.25]]}}})
    calibrated = parse_page(page).confidence
    assert raw.keys() == calibrated.keys()
    for k, v in raw.items():
        assert calibrated[k] == pytest.approx(0.25 * v, abs=1e-3)


def test_fit_points_is_cautious_where_examples_are_few():
    fit = _fitter()
    rng = random.Random(4)
    xs, ys = [], []
    for _ in range(400):  # right with probability equal to the raw score
        x = rng.random()
        xs.append(x)
        ys.append(rng.random() < x)
    points = fit.fit_points(xs, ys)
    levels = [p[1] for p in points]
    assert levels == sorted(levels)
    assert points[0][0] == 0.0 and points[-1][0] == 1.0
    # the top step promises no more than its examples show
    start = next(p[0] for p in points if p[1] == points[-1][1])
    top = [y for x, y in zip(xs, ys, strict=True) if x >= start]
    assert points[-1][1] <= sum(top) / len(top)
    # three right answers alone do not earn a confidence of 0.9
    assert fit.fit_points([0.95, 0.96, 0.97], [True, True, True])[-1][1] < 0.9


def test_calibration_keeps_the_order_of_the_parsers_scores():
    """A field the parser is less sure of is never reported as surer after calibration."""
    grid = [i / 50 for i in range(51)]
    for field in ("full_name", "title", "company", "emails", "phones", "websites",
                  "address", "social"):
        for script in ("latin", "cjk"):
            out = [calibration.calibrate({field: g}, script)[field] for g in grid]
            assert out == sorted(out), (field, script)
