"""The click command line: parse options, call the library once, print the result.

Data goes to stdout (JSON lines for scripts), messages and the summary to stderr.
``CardpipeGroup.invoke`` is the one place where an exception becomes an exit code:
every ``CardpipeError`` is one line on stderr and its documented code (a batch with some
failed items raises ``PartialFailure``, exit 10).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from . import __version__, match, pipeline
from .book import Book
from .errors import BookError, CardpipeError, PartialFailure, exit_code_for
from .scan import readings
from .scan.engines import ENGINES


class CardpipeGroup(click.Group):
    """Maps library errors to one line on stderr and the error's exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CardpipeError as exc:
            click.echo(f"cardpipe: {exc.label}: {exc.one_line()}", err=True)
            ctx.exit(exit_code_for(exc))
        except KeyboardInterrupt as exc:
            click.echo("cardpipe: interrupted", err=True)
            ctx.exit(exit_code_for(exc))


@click.group(cls=CardpipeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cardpipe")
def cli() -> None:
    """Business-card photos in, a clean merged contact book out.

    \b
    Example:
      cardpipe run ~/Pictures/websummit --book contacts.vcf --event "Web Summit"
    """


# -- shared options -----------------------------------------------------------

def _ocr_options(f: Any) -> Any:
    f = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                     help="Worker processes (default: number of cores).")(f)
    f = click.option("--lang", default=None, metavar="LANGS",
                     help="Tesseract's languages (e.g. eng+deu); alone, it switches to the "
                          "tesseract engine.")(f)
    f = click.option("--engine", type=click.Choice(ENGINES), default=None,
                     help="OCR engine: rapidocr (default; Latin script with accents, any "
                          "language), tesseract (in --lang, default eng), or cascade "
                          "(Tesseract, then RapidOCR where it is unsure). See README, OCR.")(f)
    f = click.option("--region", default=None, metavar="CC", callback=_check_region,
                     help="Default phone region (ISO country code, e.g. US, DE) for numbers "
                          "printed without +country code.")(f)
    f = click.option("--debug-dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, help="Write every intermediate image per photo here.")(f)
    return f


def _scheduler_option(f: Any) -> Any:
    return click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        envvar="CARDPIPE_SCHEDULER", callback=_check_scheduler,
                        help="Read the photos on this Dask cluster (needs cardpipe[cluster]; "
                             "default: $CARDPIPE_SCHEDULER, else local processes). See "
                             "README, Running on a cluster.")(f)


def _check_scheduler(ctx: click.Context, param: click.Parameter, value: str | None
                     ) -> str | None:
    from . import cluster

    if not value:
        return None
    try:
        cluster.check_available("--scheduler")
        return cluster.check_address(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _check_region(ctx: click.Context, param: click.Parameter, value: str | None
                  ) -> str | None:
    try:
        return pipeline.check_region(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _check_output(path: Path | None, *, folder: bool = False) -> None:
    """An output goes into a folder that exists: a typo in the folder's name is said at
    once (exit 4, before any work), not made into a new folder somewhere. ``folder``: the
    output is a folder itself (a vdir), created if missing; its parent must exist."""
    if path is None:
        return
    parent = path.absolute().parent
    if not parent.is_dir():
        what = "is not a folder" if parent.exists() else "does not exist"
        raise BookError(f"{path}: cannot write: the folder {path.parent} {what}",
                        hint="create it first, or name another place")
    if not folder and path.is_dir():
        raise BookError(f"{path}: cannot write: it is a folder, not a file")


def _check_engine(engine: str | None, lang: str | None) -> None:
    try:
        pipeline.check_engine(engine, lang)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@contextlib.contextmanager
def _progress(label: str) -> Iterator[pipeline.Progress | None]:
    """A progress bar on stderr when it is a terminal, else nothing."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _default_format() -> str:
    return "table" if sys.stdout.isatty() else "jsonl"


def _echo_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _summary_line(summary: dict[str, int]) -> str:
    return " · ".join(f"{k} {v}" for k, v in summary.items())


def _warn(message: str) -> None:
    click.echo(f"cardpipe: warning: {message}", err=True)


def _load_book(path: Path) -> Book:
    return pipeline.load_book(path)


# -- scan ---------------------------------------------------------------------

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default=None,
              help="jsonl: one JSON object per card (default when stdout is not a terminal).")
@click.option("--attach-photo", is_flag=True,
              help="Add the card image to each JSON line as \"photo\": a base64 JPEG of at "
                   "most 60 KB.")
@_ocr_options
@_scheduler_option
def scan(paths: tuple[Path, ...], fmt: str | None, attach_photo: bool, jobs: int | None,
         lang: str | None, engine: str | None, region: str | None,
         debug_dir: Path | None, scheduler: str | None) -> None:
    """OCR and parse card photos; print what was read, one card at a time.

    PATHS are JPEG/PNG/HEIC/TIFF/WebP/GIF photos or folders of them. Nothing is written.
    A photo that cannot be read, or where too little was read to make a contact (as
    `run` counts it), is reported as failed (exit 10); when nothing named can be read at
    all (every photo missing, a folder without photos), the exit code is 3.

    \b
    Example:
      cardpipe scan samples/ --format jsonl > cards.jsonl
    """
    _check_engine(engine, lang)
    _check_cluster_debug(scheduler, debug_dir)
    fmt = fmt or _default_format()
    failed = 0
    with cluster_executor(scheduler) as executor, _progress("scanning") as progress:
        for result in pipeline.scan_paths(list(paths), jobs=jobs, lang=lang, engine=engine,
                                          region=region, debug_dir=debug_dir,
                                          progress=progress, executor=executor,
                                          attach_photo=attach_photo, require_photos=True):
            result = pipeline.checked(result)
            failed += not result.ok
            if fmt == "jsonl":
                _echo_json(result.to_json())
                if not result.ok:
                    click.echo(f"cardpipe: {result.error}", err=True)
            else:
                _print_card(result)
    if failed:
        raise PartialFailure(f"{failed} photo(s) failed")


def cluster_executor(scheduler: str | None) -> Any:
    """A Dask executor connected to ``scheduler`` for a ``with`` block, or None."""
    if not scheduler:
        return contextlib.nullcontext(None)
    from . import cluster

    return cluster.maybe_connect(scheduler)


def _check_cluster_debug(scheduler: str | None, debug_dir: Path | None) -> None:
    if scheduler and debug_dir:
        raise click.UsageError("--debug-dir writes on the machine that reads the photo; it "
                               "cannot be used with --scheduler")


def _print_card(result: pipeline.ScanResult) -> None:
    if not result.ok or result.contact is None:
        click.secho(f"✗ {result.error}", fg="red")
        return
    d = result.contact.to_scan_dict()
    click.secho(f"● {result.source}", bold=True)
    for key in ("full_name", "title", "company", "address"):
        if d[key]:
            click.echo(f"    {key:<10} {d[key]}")
    for email in d["emails"]:
        click.echo(f"    {'email':<10} {email}")
    for phone in d["phones"]:
        click.echo(f"    {phone['type']:<10} {phone['number']}")
    for key in ("websites", "social"):
        for value in d[key]:
            click.echo(f"    {key[:-1] if key == 'websites' else key:<10} {value}")
    for w in result.warnings:
        click.secho(f"    ! {w}", fg="yellow")


# -- run ----------------------------------------------------------------------

@cli.command()
@click.argument("photos", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--book", "book_path", required=True, type=click.Path(path_type=Path),
              help="The contact book: a .vcf file or a vdir folder (created if missing).")
@click.option("--event", default=None, help="Where the people were met (default: the photo "
                                              "folder's name).")
@click.option("--met-on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="When, YYYY-MM-DD (default: the photo's EXIF date, else its file date).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Write the merged book here instead of updating BOOK in place.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write one JSON line per card: decision, target UID, score, reasons.")
@click.option("--dry-run", is_flag=True, help="Do everything but write the book.")
@click.option("--attach-photo", is_flag=True,
              help="Give each contact without a photo the card image as its photo (a JPEG "
                   "of at most 60 KB); a photo already in the book is kept.")
@click.option("--rescan", is_flag=True,
              help="Read every photo again, even those the reading cache knows (and keep "
                   "the new readings).")
@click.option("--no-cache", is_flag=True,
              help="Neither use nor write the reading cache.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Where the card images and review decisions are kept "
                                 "(default: the user data folder's cardpipe/ledger.sqlite3).")
@_ocr_options
@_scheduler_option
def run(photos: tuple[Path, ...], book_path: Path, event: str | None, met_on: Any,
        out: Path | None, report: Path | None, dry_run: bool, attach_photo: bool,
        rescan: bool, no_cache: bool, ledger_path: Path | None, jobs: int | None,
        lang: str | None, engine: str | None, region: str | None,
        debug_dir: Path | None, scheduler: str | None) -> None:
    """The whole job: scan photos, match every card against the book, merge, write.

    The book is written atomically (temp file, fsync, rename) with a timestamped
    backup of the previous version beside it. What each photo was read as is kept in a
    reading cache (the user cache folder, e.g. ~/.cache/cardpipe/readings.sqlite3), so a
    rerun over the same photos reads only the new or changed ones.

    \b
    Example:
      cardpipe run ~/cards/websummit --book contacts.vcf --event "Web Summit" \\
          --met-on 2026-11-12 --attach-photo
    """
    _check_engine(engine, lang)
    _check_cluster_debug(scheduler, debug_dir)
    _check_output(out)
    _check_output(report)
    book = _load_book(book_path)
    cache = None if no_cache else readings.ReadingCache.open(
        writable=not dry_run, reuse=not rescan, warn=_warn)
    from .sync.config import default_ledger_path
    from .sync.ledger import Ledger

    where = ledger_path or default_ledger_path()
    # a dry run writes nothing: it reads the pairs kept apart from a ledger already there
    ledger = None if dry_run and not where.exists() else Ledger.open(where)
    with contextlib.closing(ledger) if ledger else contextlib.nullcontext(), \
            contextlib.closing(cache) if cache else contextlib.nullcontext(), \
            cluster_executor(scheduler) as executor, _progress("scanning") as progress:
        result = pipeline.run(list(photos), book=book, event=event,
                              met_on=met_on.date().isoformat() if met_on else None,
                              jobs=jobs, lang=lang, engine=engine, region=region,
                              debug_dir=debug_dir,
                              progress=progress, attach_photo=attach_photo,
                              require_photos=True, cache=cache, executor=executor,
                              keep_cards=not dry_run,
                              apart=ledger.apart_for if ledger else None)
        if ledger is not None and not dry_run:  # what the review page shows, days later
            pipeline.keep_cards(ledger, result)
    for _source, error in result.report.failed:
        click.echo(f"cardpipe: {error}", err=True)
    extra = {"photos": result.summary()["photos"]}
    if cache is not None and cache.reuse:
        extra["cached"] = cache.hits  # photos not read again: their reading was kept
    _finish(book, result.report, out=out, book_path=book_path, report_path=report,
            dry_run=dry_run, extra=extra)


def _finish(book: Book, report: pipeline.MergeReport, *, out: Path | None, book_path: Path,
            report_path: Path | None, dry_run: bool, extra: dict[str, int] | None = None) -> None:
    if report_path:
        with open(report_path, "w", encoding="utf-8") as f:
            for row in report.rows:
                f.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
            for source, error in report.failed:
                f.write(json.dumps({"source": source, "decision": "failed", "error": error},
                                   ensure_ascii=False) + "\n")
    target = out or book_path
    if dry_run:
        written = "dry run: nothing written"
    else:
        written = (f"written to {target}" if book.save(target)
                   else f"{target}: nothing changed, nothing written")
    summary = {**(extra or {}), **report.summary()}
    click.echo(f"{_summary_line(summary)} — {written}", err=True)
    for row in report.rows:
        if row.decision == "review":
            click.echo(f"  review: {row.source} -> {row.into} ({'; '.join(row.reasons)})",
                       err=True)
    if report.failed:
        raise PartialFailure(f"{len(report.failed)} input(s) failed (each named above)")


# -- merge --------------------------------------------------------------------

@cli.command("merge")
@click.argument("vcards", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--book", "book_path", required=True, type=click.Path(path_type=Path),
              help="The contact book: a .vcf file or a vdir folder.")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Write the merged book here instead of updating BOOK in place.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="One JSON line per incoming contact: source, uid, decision, into, score, "
                   "reasons.")
@click.option("--event", default=None, help="Add a 'Met at EVENT' note to the new contacts.")
@click.option("--dry-run", is_flag=True, help="Do everything but write the book.")
@click.option("--learn", is_flag=True,
              help="Learn the match weights from this book and these cards first (EM).")
def merge_cmd(vcards: tuple[Path, ...], book_path: Path, out: Path | None,
              report: Path | None, event: str | None, dry_run: bool, learn: bool) -> None:
    """Merge vCards from elsewhere (a colleague, a CRM export) into the book.

    \b
    Example:
      cardpipe merge exported.vcf --book contacts.vcf --report merge.jsonl
    """
    _check_output(out)
    _check_output(report)
    book = _load_book(book_path)
    result = pipeline.merge_vcards(list(vcards), book=book, event=event, learn=learn)
    for _source, error in result.failed:
        click.echo(f"cardpipe: {error}", err=True)
    _finish(book, result, out=out, book_path=book_path, report_path=report, dry_run=dry_run)


# -- dedupe -------------------------------------------------------------------

@cli.command()
@click.option("--book", "book_path", required=True, type=click.Path(exists=True,
              path_type=Path), help="The contact book: a .vcf file or a vdir folder.")
@click.option("--apply", is_flag=True, help="Merge each group (default: only list them).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="With --apply: write here instead of updating BOOK in place.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default=None,
              help="jsonl: one JSON object per group.")
@click.option("--explain", is_flag=True,
              help="Print the match weights learned from this book (m, u, bits per level) "
                   "to stderr first (with --format jsonl: one JSON object).")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The ledger whose pairs kept separate on the review page are "
                                 "never grouped (default: the user data folder's "
                                 "cardpipe/ledger.sqlite3, when there is one).")
def dedupe(book_path: Path, apply: bool, out: Path | None, fmt: str | None,
           explain: bool, ledger_path: Path | None) -> None:
    """List groups of duplicates already inside a book, with the reasons.

    \b
    Example:
      cardpipe dedupe --book contacts.vcf            # list
      cardpipe dedupe --book contacts.vcf --apply    # merge them
      cardpipe dedupe --book contacts.vcf --explain  # and the weights it learned
    """
    fmt = fmt or _default_format()
    book = _load_book(book_path)
    result = pipeline.dedupe(book, apply=apply, apart=_apart_pairs(ledger_path))
    if explain and result.learned is not None:
        if fmt == "jsonl":
            _echo_json({"model": result.learned.to_dict()})
        else:
            click.echo("\n".join(match.explain(result.learned, len(book))), err=True)
    for group in result.groups:
        if fmt == "jsonl":
            _echo_json(group.to_dict())
        else:
            names = ", ".join(_display_name(book, u) for u in group.uids) if not apply \
                else ", ".join(group.uids)
            click.echo(f"● {names}  (score {group.score:.2f})")
            for reason in group.reasons:
                click.echo(f"    {reason}")
    if apply and result.merged:
        book.save(out or book_path)
    click.echo(f"{len(result.groups)} duplicate group(s)"
               + (f", {result.merged} contact(s) merged" if apply else ""), err=True)


def _apart_pairs(ledger_path: Path | None) -> set[frozenset[str]]:
    """The pairs kept separate on the review page (none when there is no ledger yet)."""
    from .sync.config import default_ledger_path
    from .sync.ledger import Ledger

    where = ledger_path or default_ledger_path()
    if not where.exists():
        return set()
    with contextlib.closing(Ledger.open(where)) as ledger:
        return ledger.apart_pairs()


def _display_name(book: Book, uid: str) -> str:
    contact = book.get(uid)
    return contact.display_name if contact is not None else uid


# -- export -------------------------------------------------------------------

@cli.command()
@click.option("--book", "book_path", required=True, type=click.Path(exists=True,
              path_type=Path), help="The contact book: a .vcf file or a vdir folder.")
@click.option("--to", "to_vcf", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="One .vcf file that phones import.")
@click.option("--vcard-version", type=click.Choice(["3.0", "4.0"]), default="3.0",
              show_default=True)
@click.option("--csv", "to_csv", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="A CSV file for Google Contacts or Outlook.")
@click.option("--csv-dialect", type=click.Choice(["google", "outlook"]), default="google",
              show_default=True)
@click.option("--vdir", "to_vdir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="A vdir folder: one .vcf per contact.")
def export(book_path: Path, to_vcf: Path | None, vcard_version: str, to_csv: Path | None,
           csv_dialect: str, to_vdir: Path | None) -> None:
    """Export the book for a phone, a spreadsheet or a sync tool.

    \b
    Example:
      cardpipe export --book contacts.vcf --to phone.vcf --csv google.csv
    """
    from .book import export as exporter

    if not (to_vcf or to_csv or to_vdir):
        raise click.UsageError("say where to export: --to FILE.vcf, --csv FILE or --vdir DIR")
    _check_output(to_vcf)
    _check_output(to_csv)
    _check_output(to_vdir, folder=True)
    book = _load_book(book_path)  # the Book, not bare contacts: PHOTO, BDAY and X- survive
    if to_vcf:
        exporter.export_vcf(book, to_vcf, version=vcard_version)
    if to_csv:
        exporter.export_csv(book, to_csv, dialect=csv_dialect)
    if to_vdir:
        exporter.export_vdir(book, to_vdir, version=vcard_version)
    click.echo(f"{len(book)} contact(s) exported", err=True)


# -- review -------------------------------------------------------------------

@cli.command()
@click.option("--book", "book_path", required=True, type=click.Path(exists=True,
              path_type=Path), help="The contact book: a .vcf file or a vdir folder.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The port on 127.0.0.1 (0: a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the address; open no browser.")
@click.option("--ledger", "ledger_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The ledger that keeps the card images and decisions "
                                 "(default: the user data folder's cardpipe/ledger.sqlite3).")
def review(book_path: Path, port: int, no_browser: bool, ledger_path: Path | None) -> None:
    """A local page for what the machine was unsure of: decide, card by card.

    Lists the contacts marked for review (a possible duplicate, with the candidate and
    the matcher's reasons) and those read with a field below 0.6 confidence, beside the
    card image. Each decision is written to the book at once (atomic, backed up) and
    recorded in the ledger. The first line printed is the page's address with its
    one-time token; Ctrl-C ends the session.

    \b
    Example:
      cardpipe review --book contacts.vcf
    """
    import threading
    import webbrowser

    from .review import ReviewSession, serve
    from .sync.config import default_ledger_path
    from .sync.ledger import Ledger

    with Ledger.open(ledger_path or default_ledger_path(), threads=True) as ledger:
        session = ReviewSession(book_path, ledger)

        def ready(server: Any) -> None:
            click.echo(server.url)  # first line: scripts and people read the address here
            sys.stdout.flush()
            click.echo(f"{len(session.items())} contact(s) to review in {book_path}; "
                       "Ctrl-C ends the session", err=True)
            if not no_browser:
                threading.Thread(target=webbrowser.open, args=(server.url,),
                                 daemon=True).start()

        try:
            serve(session, port=port, ready=ready)
        except KeyboardInterrupt:
            pass
        except OSError as exc:
            raise click.UsageError(f"--port {port}: cannot serve the review page on "
                                   f"127.0.0.1: {exc.strerror or exc}") from exc
        done = session.history()
        click.echo(f"{len(done)} decision(s) this session — {len(session.items())} "
                   f"contact(s) left to review", err=True)


# -- sync ---------------------------------------------------------------------

@cli.command()
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The TOML config (default: $CARDPIPE_CONFIG, else the user "
                                 "config folder's cardpipe/config.toml).")
@click.option("--dry-run", is_flag=True, help="Scan and plan, but write nothing anywhere.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append a JSON-lines run log here (besides the summary on stderr).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json: print the run report as one JSON object on stdout.")
@click.option("--attach-photo/--no-attach-photo", default=None,
              help="Give new and merged contacts without a photo the card image (a JPEG of "
                   "at most 60 KB); default: the config's attach_photo, else off.")
@_scheduler_option
def sync(config_path: Path | None, dry_run: bool, log_file: Path | None, fmt: str,
         attach_photo: bool | None, scheduler: str | None) -> None:
    """The nightly job: new photos in, book updated, synced with CardDAV.

    Scans only photos not processed before (a ledger remembers them), pulls edits made
    on the server or phone, merges, saves the book atomically and pushes the changes.
    A rerun with nothing new writes nothing. Passwords come from the environment, a
    netrc file or the keyring, never from the command line.

    \b
    Example:
      cardpipe sync --config ~/.config/cardpipe/config.toml --log-file ~/cardpipe.log
    """
    from . import sync as syncing
    from .sync import config as configuration

    conf = configuration.load_config(config_path)
    if attach_photo is not None:
        conf = dataclasses.replace(conf, attach_photo=attach_photo)
    if scheduler:  # the option (or $CARDPIPE_SCHEDULER) before the config's scheduler
        conf = dataclasses.replace(conf, scheduler=scheduler)
    with _progress("scanning") as progress:
        report = syncing.sync(conf, dry_run=dry_run, log=log_file, progress=progress)
    if fmt == "json":
        _echo_json(report.to_dict())
    for line in report.summary_lines():
        click.echo(line, err=True)
    if report.failures:
        raise PartialFailure(f"{report.failures} photo(s) or card(s) failed (listed above)")


# -- list / followup ----------------------------------------------------------

def _book_option(f: Any) -> Any:
    return click.option("--book", "book_path", type=click.Path(path_type=Path), default=None,
                        help="The contact book: a .vcf file or a vdir folder (default: the "
                             "config's book).")(f)


def _config_option(f: Any) -> Any:
    return click.option("--config", "config_path", type=click.Path(dir_okay=False,
                        path_type=Path), default=None,
                        help="The TOML config (default: $CARDPIPE_CONFIG, else the user's "
                             "config.toml), for the book, user_name and user_email.")(f)


def _optional_config(path: Path | None) -> Any:
    """The config named (it must be there), else the default one if any, else None."""
    from .sync import config as configuration

    if path is not None:
        return configuration.load_config(path)
    try:
        return configuration.load_config(None)
    except CardpipeError:
        return None


def _followup_book(book_path: Path | None, conf: Any) -> tuple[Path, Book]:
    path = book_path or (conf.book if conf is not None else None)
    if path is None:
        raise click.UsageError("say which book: --book BOOK (or a config with a book)")
    if not path.exists():
        raise BookError(f"{path}: no such book")
    return path, _load_book(path)


def _parse_time(parse: Any, text: str | None, now: Any, option: str) -> Any:
    if text is None:
        return None
    try:
        return parse(text, now)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


@cli.command("list")
@_book_option
@click.option("--search", default=None, metavar="TEXT",
              help="Words to find in names, companies, titles, notes and events (case and "
                   "accents ignored).")
@click.option("--event", default=None, metavar="NAME", help="Only people met at this event.")
@click.option("--since", default=None, metavar="WHEN",
              help="Only people met since: 14d, 2w or a date (2026-11-01).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]),
              default="table", show_default=True)
@_config_option
def list_cmd(book_path: Path | None, search: str | None, event: str | None,
             since: str | None, fmt: str, config_path: Path | None) -> None:
    """The running list of who you met: who, title, company, where and when, the next
    action and when it is due; overdue first.

    \b
    Example:
      cardpipe list --book contacts.vcf --event "Web Summit" --since 14d
      cardpipe list --book contacts.vcf --search muller --format csv > people.csv
    """
    import datetime as dt

    from . import followup

    now = dt.datetime.now(dt.UTC)
    first_day = _parse_time(followup.parse_since, since, now, "--since")
    _, book = _followup_book(book_path, _optional_config(config_path) if not book_path
                             else None)
    rows = followup.running_list(book, search=search, event=event, since=first_day, now=now)
    if fmt == "table" and sys.stdout.isatty():
        from rich.console import Console

        Console().print(followup.running.table(rows, now))
    else:
        click.echo(followup.render(rows, fmt, now), nl=False)
    overdue = sum(1 for r in rows if r.status(now) == "overdue")
    click.echo(f"{len(rows)} contact(s) · {overdue} overdue", err=True)


@cli.command("followup")
@_book_option
@click.option("--ics", "ics_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Write an iCalendar file: one task (VTODO) per open "
                                 "follow-up, with a reminder.")
@click.option("--drafts", "drafts_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Write one e-mail draft (.eml) per open follow-up here.")
@click.option("--done", "done_refs", multiple=True, metavar="UID",
              help="Mark a follow-up done: its id or UID, or a contact's UID (its next "
                   "follow-up). Repeatable.")
@click.option("--add", "add", nargs=2, default=None, metavar="UID TEXT",
              help="Give the contact UID a new action TEXT (with --due).")
@click.option("--due", default=None, metavar="WHEN",
              help="When the added action is due: 30d, 2w, 12h, 2026-12-24 or "
                   "2026-12-24T15:00.")
@click.option("--dry-run", is_flag=True, help="Say what would change, write nothing.")
@_config_option
def followup_cmd(book_path: Path | None, ics_path: Path | None, drafts_dir: Path | None,
                 done_refs: tuple[str, ...], add: tuple[str, str] | None, due: str | None,
                 dry_run: bool, config_path: Path | None) -> None:
    """Follow-ups: mark them done, add actions, export them as calendar tasks or drafts.

    Changes are written to the book (atomically, with a backup) before the calendar and
    the drafts are made, so those show the book as it is now.

    \b
    Example:
      cardpipe followup --book contacts.vcf --add 4f1c... "Call about the pilot" --due 30d
      cardpipe followup --book contacts.vcf --done cardpipe-followup-5d0c8e2a91f3@cardpipe
      cardpipe followup --book contacts.vcf --ics followups.ics --drafts drafts/
    """
    import datetime as dt

    from . import followup

    if add and not due:
        raise click.UsageError("--add needs --due WHEN (say when it is due: 30d, 2026-12-24)")
    if due and not add:
        raise click.UsageError("--due goes with --add UID TEXT")
    if not (ics_path or drafts_dir or done_refs or add):
        raise click.UsageError("say what to do: --ics FILE, --drafts DIR, --done UID or "
                               "--add UID TEXT --due WHEN")
    _check_output(ics_path)
    _check_output(drafts_dir, folder=True)
    now = dt.datetime.now(dt.UTC)
    when = _parse_time(followup.parse_due, due, now, "--due")
    conf = _optional_config(config_path)
    path, book = _followup_book(book_path, conf)
    for ref in done_refs:
        f = followup.mark_done(book, ref, now=now)
        click.echo(f"done: {f.text} ({f.vtodo_uid})", err=True)
    if add:
        f = followup.add_action(book, add[0], add[1], when, now=now)
        click.echo(f"added: {f.text}, due {f.due_text()} ({f.vtodo_uid})", err=True)
    if dry_run:
        click.echo("dry run: nothing written", err=True)
        return
    if (done_refs or add) and book.save():
        click.echo(f"written to {path}", err=True)
    if ics_path:
        count = len(followup.open_followups(book))
        written = followup.write_ics(book, ics_path)
        click.echo(f"{count} open follow-up(s) in {ics_path}"
                   + ("" if written else " (unchanged)"), err=True)
    if drafts_dir:
        user_name = conf.user_name if conf is not None else None
        if not user_name:
            _warn("no user_name in the config: the drafts are not signed")
        result = followup.write_drafts(book, drafts_dir, user_name=user_name,
                                       user_email=conf.user_email if conf else None, now=now)
        click.echo(f"{len(result.written)} draft(s) in {drafts_dir}"
                   + (f"; {len(result.skipped)} without an e-mail address"
                      if result.skipped else ""), err=True)


def main() -> None:
    cli(prog_name="cardpipe")
