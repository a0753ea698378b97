#!/usr/bin/env python3
"""Render labelled business-card photos (and a contact book) for cardpipe's tests and bench.

    python samples/generate.py --out DIR --seed N --count N --difficulty clean|photo|hard|mixed
    python samples/generate.py --out samples --preset samples --book   # the committed set

Writes ``DIR/<stem>.jpg|png|heic`` and ``DIR/<stem>.json`` (ground truth, see
samples/README.md).  The same seed, count, difficulty and preset give the same files (with
the same fonts and library versions installed).  Importable:
``generate(out_dir, seed, count, difficulty) -> list[Path]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
for _p in (str(_HERE), str(_HERE.parent)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from cardgen.book import write_book  # noqa: E402
from cardgen.layouts import render_card  # noqa: E402
from cardgen.locales import LOCALES, WORLD_LOCALES  # noqa: E402
from cardgen.people import Person, make_person  # noqa: E402
from cardgen.photo import HARD_EFFECTS, photograph  # noqa: E402
from cardgen.truth import truth_record  # noqa: E402
from cardgen.world import make_world_person  # noqa: E402
from PIL import Image  # noqa: E402

DIFFICULTIES = ("clean", "photo", "hard", "mixed")
PRESETS = ("samples",)
SAMPLES_SEED = 20240611
HARD_POOL = (*HARD_EFFECTS, "small_text", "low_contrast")

#: The committed set: coverage that a random draw of 20 might miss (2+ dark cards, turned
#: cards, HEIC, PNG, QR codes, a hand, every locale).  Unlisted choices are drawn from the seed.
SAMPLE_PLAN: tuple[dict[str, Any], ...] = (
    {"difficulty": "clean", "fmt": "png", "locale": "en_US"},
    {"difficulty": "clean", "fmt": "png", "locale": "de_DE", "dark": True},
    {"difficulty": "clean", "fmt": "jpg", "locale": "fr_FR", "qr": True},
    {"difficulty": "photo", "fmt": "jpg", "locale": "de_DE", "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "en_GB", "rotation": 90},
    {"difficulty": "photo", "fmt": "jpg", "locale": "nl_NL", "dark": True, "rotation": 0},
    {"difficulty": "photo", "fmt": "heic", "locale": "en_US", "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "it_IT", "rotation": 180},
    {"difficulty": "photo", "fmt": "jpg", "locale": "es_ES", "qr": True, "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "de_DE", "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "en_US", "rotation": 0},
    {"difficulty": "photo", "fmt": "heic", "locale": "fr_FR", "rotation": 270},
    {"difficulty": "photo", "fmt": "jpg", "locale": "de_DE", "dark": True, "rotation": 0},
    {"difficulty": "hard", "fmt": "jpg", "locale": "en_US", "rotation": 0},
    {"difficulty": "hard", "fmt": "jpg", "locale": "de_DE", "hand": True, "rotation": 0},
    {"difficulty": "hard", "fmt": "jpg", "locale": "fr_FR", "rotation": 180},
    {"difficulty": "hard", "fmt": "jpg", "locale": "en_GB", "rotation": 0},
    {"difficulty": "hard", "fmt": "jpg", "locale": "nl_NL", "qr": True, "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "it_IT", "rotation": 0},
    {"difficulty": "clean", "fmt": "png", "locale": "es_ES"},
    # -- the world (issue 13): a card or two per convention, smaller frames to stay small --
    {"difficulty": "clean", "fmt": "jpg", "locale": "en_IN",
     "conventions": ("initials", "services", "dept_title")},
    {"difficulty": "photo", "fmt": "jpg", "locale": "ja_JP", "conventions": ("vertical",),
     "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "ja_JP",
     "conventions": ("two_script", "dept_title"), "rotation": 0},
    {"difficulty": "clean", "fmt": "jpg", "locale": "ko_KR", "conventions": ("two_script",)},
    {"difficulty": "photo", "fmt": "jpg", "locale": "zh_CN", "conventions": ("offices", "tagline"),
     "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "zh_TW", "conventions": ("vertical",),
     "rotation": 90},
    {"difficulty": "photo", "fmt": "jpg", "locale": "vi_VN", "conventions": ("all_caps",),
     "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "pt_BR", "conventions": ("dept_title",),
     "rotation": 0, "dark": True},
    {"difficulty": "photo", "fmt": "jpg", "locale": "es_MX", "conventions": ("services",),
     "rotation": 0},
    {"difficulty": "clean", "fmt": "jpg", "locale": "en_AE", "conventions": ("offices",)},
    {"difficulty": "photo", "fmt": "jpg", "locale": "en_SG", "conventions": ("all_caps", "tagline"),
     "rotation": 180},
    {"difficulty": "photo", "fmt": "jpg", "locale": "ne_NP", "conventions": ("offices", "services"),
     "rotation": 0},
    {"difficulty": "hard", "fmt": "jpg", "locale": "de_CH", "conventions": ("dept_title",),
     "rotation": 0},
    {"difficulty": "photo", "fmt": "jpg", "locale": "en_AU", "conventions": ("initials",),
     "rotation": 0},
)
#: the first cards of the plan: the classic set (the book's matches are drawn among them)
CLASSIC_COUNT = 20
#: frames of the world cards are scaled to this width (the set must stay small in git)
WORLD_MAX_WIDTH = 1280


@dataclass
class CardPlan:
    index: int
    stem: str
    difficulty: str
    person: Person
    dark: bool
    rotation: int
    qr: bool
    fmt: str  # jpg | png | heic
    hand: bool | None
    quality: int
    taken: dt.datetime
    max_width: int | None = None  # this card's own limit (the preset's world cards)


def _seed_int(*parts: object) -> int:
    return random.Random(":".join(str(p) for p in parts)).getrandbits(63)


def _world_locale(seed: int, i: int) -> str:
    """A locale of the world draw: every country of WORLD_LOCALES about as often."""
    return random.Random(f"{seed}:{i}:world-locale").choice(sorted(WORLD_LOCALES))


def plan_cards(seed: int, count: int, difficulty: str = "mixed", preset: str | None = None,
               *, world: bool = False) -> list[CardPlan]:
    """Decide every card (person, difficulty, darkness, rotation, format) without rendering.

    ``world`` draws the people from every locale of ``WORLD_LOCALES`` with the world
    conventions (``cardgen.world``); without it the classic seven locales, as before."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}, not {difficulty!r}")
    plans = []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}:plan")
        over = dict(SAMPLE_PLAN[i % len(SAMPLE_PLAN)]) if preset == "samples" else {}
        diff = over.get("difficulty", difficulty)
        if diff == "mixed":
            diff = rng.choices(("clean", "photo", "hard"), weights=(0.3, 0.45, 0.25))[0]
        locale = over.get("locale")
        if world and not over:
            locale = _world_locale(seed, i)
        if "conventions" in over or (locale and locale not in LOCALES) or (world and not over):
            person = make_world_person(f"{seed}:{i}:person", locale or _world_locale(seed, i),
                                       conventions=over.get("conventions"))
        else:
            person = make_person(f"{seed}:{i}:person", locale)
        dark = over.get("dark", rng.random() < 0.2)
        if diff == "clean":
            rotation = over.get("rotation", 180 if rng.random() < 0.05 else 0)
        else:
            rotation = over.get("rotation", rng.choices((0, 90, 180, 270),
                                                        weights=(0.7, 0.1, 0.1, 0.1))[0])
        qr = rng.random() < 0.1
        if preset:
            qr = dark_default = False  # the preset's plan says where QR codes go
            dark = over.get("dark", dark_default)
        qr = over.get("qr", qr)
        fmt = over.get("fmt")
        if fmt is None:
            fmt = "png" if diff == "clean" and rng.random() < 0.4 else "jpg"
        quality = {"clean": rng.randint(88, 95), "photo": rng.randint(70, 90),
                   "hard": rng.randint(65, 85)}[diff]
        taken = dt.datetime(2024, 3, 1, 9) + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 200))
        stem = f"card{i:03d}-{diff}-{person.locale}"
        plans.append(CardPlan(i, stem, diff, person, dark, rotation, qr, fmt, over.get("hand"),
                              quality, taken,
                              WORLD_MAX_WIDTH if preset and "conventions" in over else None))
    return plans


def _exif(taken: dt.datetime) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Google"  # Make
    exif[0x0110] = "Pixel 7"  # Model
    stamp = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif[0x0132] = stamp  # DateTime
    ifd = exif.get_ifd(0x8769)
    ifd[0x9003] = stamp  # DateTimeOriginal
    return exif


def _save(frame: np.ndarray, path: Path, plan: CardPlan, quality: int | None) -> None:
    img = Image.fromarray(frame)
    q = quality or plan.quality
    if plan.fmt == "png":
        img.save(path, optimize=True)
    elif plan.fmt == "heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
        # x265 quality runs lower than JPEG quality for the same look (q 50 ~ phone HEIC)
        img.save(path, quality=max(35, min(50, q - 35)), exif=_exif(plan.taken).tobytes())
    else:
        kwargs: dict[str, Any] = {"quality": q, "optimize": True}
        if plan.difficulty != "clean":
            kwargs["exif"] = _exif(plan.taken).tobytes()
        img.save(path, **kwargs)


def render_plan(plan: CardPlan, seed: int, out_dir: Path, *, max_width: int | None = None,
                quality: int | None = None) -> Path:
    """Render, photograph and write one card and its ground truth; returns the image path."""
    rng = random.Random(f"{seed}:{plan.index}:card")
    if plan.max_width:
        max_width = min(max_width or plan.max_width, plan.max_width)
    effects: set[str] = set()
    if plan.difficulty == "hard":
        # two or three hard things at once, never all of them
        effects = set(rng.sample(HARD_POOL, rng.choice((2, 3))))
        if plan.hand:
            effects.add("hand")
    small = "small_text" in effects
    rendered = render_card(plan.person, rng, dark=plan.dark, qr=plan.qr,
                           small_text=small,
                           low_contrast="low_contrast" in effects and not plan.dark,
                           px_per_in=300.0 if plan.difficulty == "clean" else 450.0)
    prng = np.random.default_rng(_seed_int(seed, plan.index, "photo"))
    shot = photograph(rendered.image, prng, plan.difficulty, plan.rotation,
                      [ln.box for ln in rendered.lines], hand=plan.hand,
                      noise_free=plan.fmt == "png" and plan.difficulty == "clean",
                      max_width=max_width, min_card_px=720.0 if small else 560.0,
                      effects=effects)
    frame, quad = shot.frame, shot.quad
    if max_width and frame.shape[1] > max_width:
        f = max_width / frame.shape[1]
        frame = cv2.resize(frame, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        quad = quad * f
    ext = {"jpg": ".jpg", "png": ".png", "heic": ".heic"}[plan.fmt]
    path = out_dir / f"{plan.stem}{ext}"
    _save(frame, path, plan, quality)
    record = truth_record(plan, rendered, shot, quad, path.name, frame.shape)
    (out_dir / f"{plan.stem}.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _render_job(args: tuple[CardPlan, int, Path, int | None, int | None]) -> Path:
    plan, seed, out, max_width, quality = args
    return render_plan(plan, seed, out, max_width=max_width, quality=quality)


def generate(out_dir: str | Path, seed: int, count: int, difficulty: str = "mixed", *,
             preset: str | None = None, max_width: int | None = None,
             quality: int | None = None, book: bool = False, jobs: int = 1,
             world: bool = False) -> list[Path]:
    """Write ``count`` labelled card photos into ``out_dir``; returns the image paths.

    ``jobs`` > 1 renders in that many processes (the files are the same either way);
    ``world`` draws from every country's locale and convention (see ``plan_cards``).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plans = plan_cards(seed, count, difficulty, preset, world=world)
    work = [(p, seed, out, max_width, quality) for p in plans]
    if jobs > 1 and len(work) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            paths = list(pool.map(_render_job, work))
    else:
        paths = [_render_job(w) for w in work]
    if book:
        # the preset's book stays the classic cards' book: the world cards are new people
        classic = plans[:CLASSIC_COUNT] if preset == "samples" else plans
        write_book(out, seed, classic, extra_stems=[p.stem for p in plans[len(classic):]])
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path, help="output folder")
    ap.add_argument("--seed", type=int, default=None,
                    help=f"random seed (default {SAMPLES_SEED} with --preset samples, else 1)")
    ap.add_argument("--count", type=int, default=None, help="number of cards (default 20)")
    ap.add_argument("--difficulty", choices=DIFFICULTIES, default="mixed")
    ap.add_argument("--preset", choices=PRESETS, default=None,
                    help="'samples': the committed set's coverage plan (overrides difficulty)")
    ap.add_argument("--max-width", type=int, default=None, help="scale frames down to this width")
    ap.add_argument("--quality", type=int, default=None, help="JPEG/HEIC quality (default drawn)")
    ap.add_argument("--jobs", type=int, default=1, help="render in N processes")
    ap.add_argument("--world", action="store_true",
                    help="draw people from every country (WORLD_LOCALES) and convention")
    ap.add_argument("--book", action="store_true",
                    help="also write book.vcf and book_truth.json for these people")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else (SAMPLES_SEED if args.preset else 1)
    count = args.count if args.count is not None else (
        len(SAMPLE_PLAN) if args.preset == "samples" else 20)
    if args.preset == "samples":
        args.max_width = args.max_width or 1600
        args.quality = args.quality or 80
    paths = generate(args.out, seed, count, args.difficulty, preset=args.preset,
                     max_width=args.max_width, quality=args.quality, book=args.book,
                     jobs=args.jobs, world=args.world)
    print(f"wrote {len(paths)} cards to {args.out}" + (" and book.vcf" if args.book else ""),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
