"""Command line: ``ecomcheck check``, ``ecomcheck scan``, ``ecomcheck rules``, ``explain``.

Exit codes: 0 no ``fail`` finding at or above ``--fail-on``; 1 there are; 2 usage
error or unreadable input (a one-line reason on stderr per input or record; every
readable input and record is still checked and printed).

Inputs are recognised by content: HTML pages, one seller profile as a JSON object
(several as a JSON array), or JSON Lines with one profile per line. JSON Lines are
streamed: reports are written (one JSON object per line with ``--format json``) as
the records are read, so a run over a file of any size holds one record at a time.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from ecomcheck import __version__
from ecomcheck._cli_args import iso_date, split_ids
from ecomcheck._stdio import discard_stdout
from ecomcheck.archive import is_archive_path
from ecomcheck.models import Report, RunStatus, Severity, SiteReport
from ecomcheck.settings import (
    Settings,
    SettingsError,
    Suppression,
    apply_suppressions,
    load_settings,
    load_suppressions,
)

if TYPE_CHECKING:
    from ecomcheck.engine import Checker
    from ecomcheck.profile import SellerProfile
    from ecomcheck.profile_io import ProfileRecord

MAX_INPUT_BYTES = 64 * 1024 * 1024
_HEAD = 64 * 1024


class _UsageError(Exception):
    pass


class _OutputError(Exception):
    """The report could not be written (a full disk, a closed file)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        # Subcommand parsers are of this class too (argparse copies the parent's type).
        raise _UsageError(_usage_line(self.prog, message))


def _usage_line(prog: str, message: str) -> str:
    """``check: <what is wrong> (see 'ecomcheck check --help')``."""
    command = prog.partition(" ")[2]
    return f"{command + ': ' if command else ''}{message} (see '{prog} --help')"


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="ecomcheck",
        description="Check Vietnamese online shops and sellers for compliance problems.",
    )
    p.add_argument("--version", action="version", version=f"ecomcheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser(
        "check",
        help="check saved pages (HTML) and seller profiles (JSON, JSON Lines); '-' for stdin",
        description="Check saved pages and seller profiles. Each FILE is recognised by its "
        "content: HTML is a page; a JSON object is one seller profile (a JSON array, "
        "several); JSON Lines hold one profile per line and give one JSON report per line "
        "with --format json.",
    )
    c.add_argument("targets", nargs="+", metavar="FILE|URL")
    c.add_argument(
        "--format",
        choices=("text", "json", "html", "sarif", "csv"),
        default="text",
        help="text for people (default), json for tools, html (one self-contained file), "
        "sarif (2.1.0), csv (one row per finding)",
    )
    c.add_argument("--lang", choices=("vi", "en"), default=None, help="vi (default) or en")
    c.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="ID|PREFIX",
        help="run only these rules (repeatable, comma-separated)",
    )
    c.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="ID|PREFIX",
        help="never run these rules (repeatable, comma-separated)",
    )
    c.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=None,
        help="lowest severity of a fail finding that makes the exit code 1 (default low)",
    )
    c.add_argument(
        "--config",
        metavar="FILE",
        help="settings file (default: ecomcheck.toml or [tool.ecomcheck] in pyproject.toml, "
        "searched from the current directory upwards)",
    )
    c.add_argument(
        "--suppressions",
        metavar="FILE",
        help="accepted findings: fingerprint, reason and expiry date per entry",
    )
    site = c.add_argument_group("whole-site checks (URL targets)")
    site.add_argument(
        "--archive", metavar="FILE.warc.gz", help="write every request and response as WARC"
    )
    site.add_argument("--max-pages", type=int, metavar="N", help="pages to fetch at most")
    site.add_argument(
        "--max-products", type=int, metavar="N", help="product pages to sample at most"
    )
    site.add_argument("--delay", type=float, metavar="S", help="seconds between requests")
    site.add_argument("--timeout", type=float, metavar="S", help="seconds per request")
    site.add_argument(
        "--allow-private",
        action="store_true",
        help="allow private and loopback addresses (refused by default)",
    )
    site.add_argument("--no-progress", action="store_true", help="no progress on stderr")
    c.add_argument("--url", help="URL the page was saved from (one target only)")
    c.add_argument("--as-of", type=iso_date, help="date whose legal regime applies (YYYY-MM-DD)")
    c.add_argument("--content-type", help="HTTP Content-Type the page was served with")
    c.add_argument(
        "--show-personal-data",
        action="store_true",
        help="show personal identity numbers and personal phone numbers of seller profiles "
        "unmasked (for authorised officers only)",
    )

    from ecomcheck.scan import add_parser as add_scan_parser

    add_scan_parser(sub)

    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--format", choices=("text", "json"), default="text")

    e = sub.add_parser("explain", help="print the documentation of a rule")
    e.add_argument("rule_id")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # said by the subcommand, whose options they were meant for
            prog = f"{parser.prog} {args.command}"
            raise _UsageError(_usage_line(prog, f"unrecognized arguments: {' '.join(extra)}"))
    except _UsageError as exc:
        print(f"ecomcheck: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "rules":
            return _cmd_rules(args.format)
        if args.command == "explain":
            return _cmd_explain(args.rule_id)
        if args.command == "scan":
            from ecomcheck.scan import run as run_scan

            return run_scan(args)
        return _cmd_check(args)
    except _UsageError as exc:
        print(f"ecomcheck: {exc}", file=sys.stderr)
        return 2
    except _OutputError as exc:
        print(f"ecomcheck: cannot write the report: {exc}", file=sys.stderr)
        discard_stdout()
        return 2
    except BrokenPipeError:
        # The reader went away (``| head``) while rules or docs were listed.
        discard_stdout()
        return 0


def _cmd_rules(fmt: str) -> int:
    from ecomcheck.engine import list_rules

    metas = list_rules()
    if fmt == "json":
        rows = [
            {
                "id": m.id,
                "name": m.name,
                "category": m.category.value,
                "severity": m.severity.value,
                "summary": m.summary,
            }
            for m in metas
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        width = max(len(m.id) for m in metas)
        for m in metas:
            print(f"{m.id:<{width}}  {m.severity.value:<8}  {m.name}")
    return 0


def _cmd_explain(rule_id: str) -> int:
    from ecomcheck.docs import rule_doc
    from ecomcheck.engine import list_rules

    ids = {m.id: m for m in list_rules()}
    if rule_id not in ids:
        close = [i for i in ids if rule_id in i]
        hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
        raise _UsageError(f"unknown rule {rule_id!r}{hint} (see 'ecomcheck rules')")
    print(rule_doc(ids[rule_id]))
    return 0


def _read(target: str) -> bytes:
    if target == "-":
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    path = Path(target)
    try:
        if path.is_dir():
            raise _UsageError(f"{target}: is a directory")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise _UsageError(f"{target}: {size} bytes is over the {MAX_INPUT_BYTES} byte limit")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise _UsageError(_no_such_file(target)) from exc
    except PermissionError as exc:
        raise _UsageError(f"{target}: permission denied") from exc
    except OSError as exc:
        raise _UsageError(f"{target}: cannot read ({exc.strerror or exc})") from exc


class _Prefixed(io.RawIOBase):
    """A stream that replays bytes already read (to sniff them) before the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:
        if self._head:
            n = min(len(buf), len(self._head))
            buf[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buf))
        buf[: len(data)] = data
        return len(data)


@dataclass
class _Input:
    """One target, sniffed: what it is and the bytes read to tell."""

    target: str
    kind: str = "page"
    head: bytes = b""
    error: str | None = None
    is_array: bool = False


def _sniff(target: str) -> _Input:
    from ecomcheck.profile_io import is_array, sniff

    try:
        if target == "-":
            head = sys.stdin.buffer.read(_HEAD)
            at_eof = len(head) < _HEAD
            name = None
        else:
            path = Path(target)
            if path.is_dir():
                return _Input(target, error=f"{target}: is a directory")
            with path.open("rb") as f:
                head = f.read(_HEAD)
                at_eof = len(head) < _HEAD
            name = target
    except FileNotFoundError:
        return _Input(target, error=_no_such_file(target))
    except PermissionError:
        return _Input(target, error=f"{target}: permission denied")
    except OSError as exc:
        return _Input(target, error=f"{target}: cannot read ({exc.strerror or exc})")
    kind = sniff(head, name, at_eof=at_eof)
    return _Input(target, kind, head, is_array=kind == "json" and is_array(head))


# Formats that need every report before they can be written.
_COLLECTED = frozenset({"html", "sarif", "csv"})


class _Output:
    """Writes reports as they are made, so nothing checked is lost if a run stops."""

    def __init__(self, fmt: str, lang: str, mode: str) -> None:
        self.fmt = fmt
        self.lang = lang
        self.mode = mode  # "single", "array" or "lines"
        self.count = 0
        self.collected: list[Report | SiteReport] = []
        self.stopped = False  # the output cannot be written any more

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn failures to write into a quiet stop or one clear error.

        A reader that went away (``| head -1``) is no error: the rest of the output
        goes to the null device while every input is still checked, so the exit code
        stays the one the findings call for. Any other failure (``> /dev/full``)
        ends the run.
        """
        try:
            yield
        except BrokenPipeError:
            self.stopped = True
            discard_stdout()
        except OSError as exc:
            self.stopped = True
            raise _OutputError(exc.strerror or str(exc)) from exc

    def write(
        self,
        report: Report | SiteReport,
        *,
        profile: SellerProfile | None = None,
        record: str | None = None,
    ) -> None:
        if self.fmt in _COLLECTED:
            self.collected.append(report)
        elif not self.stopped:
            with self._writing():
                self._write(report, profile, record)
        self.count += 1

    def _write(
        self, report: Report | SiteReport, profile: SellerProfile | None, record: str | None
    ) -> None:
        out = sys.stdout
        if isinstance(report, SiteReport):
            if self.fmt == "json":
                sep = "" if self.mode != "array" else ("[\n" if self.count == 0 else ",\n")
                end = "\n" if self.mode != "array" else ""
                out.write(
                    sep + report.model_dump_json(indent=None if self.mode == "lines" else 2) + end
                )
            else:
                from ecomcheck.render.formats import render_site_text

                if self.count:
                    out.write("\n")
                out.write(render_site_text(report, self.lang))
        elif self.fmt == "json":
            if self.mode == "lines":
                out.write(report.model_dump_json() + "\n")
            elif self.mode == "array":
                out.write(("[\n" if self.count == 0 else ",\n") + report.model_dump_json(indent=2))
            else:
                out.write(report.model_dump_json(indent=2) + "\n")
        else:
            from ecomcheck.render.text import render_report

            if self.count:
                out.write("\n")
            out.write(render_report(report, self.lang, profile=profile, record=record))
        if self.mode == "lines":
            out.flush()

    def close(self) -> None:
        if self.stopped:
            return
        with self._writing():
            if self.fmt in _COLLECTED:
                from ecomcheck.render.formats import render_reports

                sys.stdout.write(render_reports(self.collected, self.fmt, self.lang))
            elif self.fmt == "json" and self.mode == "array":
                sys.stdout.write("\n]\n" if self.count else "[]\n")
            sys.stdout.flush()


class _Progress:
    """A progress line on stderr for long runs, only when a person watches it."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self.last = time.monotonic()
        self.shown = False

    def tick(self, where: str, n: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last >= 1.0:
            self.last = now
            self.shown = True
            sys.stderr.write(f"\recomcheck: {n} profiles checked ({where})\x1b[K")
            sys.stderr.flush()

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


class _Run:
    """State of one ``ecomcheck check`` run over its targets."""

    def __init__(
        self, args: argparse.Namespace, checker: Checker, output: _Output, settings: Settings
    ) -> None:
        self.args = args
        self.checker = checker
        self.output = output
        self.settings = settings
        self.fail_on = settings.fail_on or Severity.LOW
        self.unreadable = False
        self.failing = False
        self.progress = _Progress()
        self.suppressions = (
            load_suppressions(args.suppressions) if args.suppressions else settings.suppressions
        )
        self.expired: dict[str, Suppression] = {}

    def error(self, message: str) -> None:
        self.progress.clear()
        self.unreadable = True
        print(f"ecomcheck: {message}", file=sys.stderr, flush=True)

    def emit(
        self,
        report: Report | SiteReport,
        *,
        profile: SellerProfile | None = None,
        record: str | None = None,
    ) -> None:
        if self.suppressions:
            result = apply_suppressions(report, self.suppressions, source=self.args.suppressions)
            self.expired.update((s.fingerprint, s) for s in result.expired)
        if report.failed(self.fail_on):
            self.failing = True
        self.output.write(report, profile=profile, record=record)

    def site(self, inp: _Input) -> None:
        from ecomcheck.site import StderrProgress, check_archive, check_site

        progress = None if self.args.no_progress else StderrProgress()
        config = self.checker.config
        try:
            if inp.kind == "site":
                report = check_site(
                    inp.target,
                    config=config,
                    limits=self.settings.limits,
                    archive=self.args.archive,
                    progress=progress,
                )
            else:
                report = check_archive(inp.target, config=config, progress=progress)
        except ImportError as exc:
            raise _UsageError(
                f"{inp.target}: whole-site checks need the site extra: "
                f"pip install 'ecomcheck[site]' ({exc.name} is missing)"
            ) from exc
        except (OSError, ValueError) as exc:
            raise _UsageError(f"{inp.target}: {exc}") from exc
        if report.status is RunStatus.NOT_ASSESSED:
            self.error(f"{inp.target}: not assessed: {report.reason}")
        self.emit(report)

    def page(self, inp: _Input) -> None:
        if inp.target == "-":
            rest = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1 - len(inp.head))
            data = inp.head + rest
            if len(data) > MAX_INPUT_BYTES:
                raise _UsageError(f"-: over the {MAX_INPUT_BYTES} byte limit")
        else:
            data = _read(inp.target)
        report = self.checker.check_page(
            data, url=self.args.url, content_type=self.args.content_type
        )
        if report.subject.name is None and inp.target != "-":
            report.subject.name = inp.target
        if report.status is RunStatus.NOT_ASSESSED:
            self.error(f"{inp.target}: not assessed: {report.reason}")
        self.emit(report)

    def records(self, inp: _Input) -> None:
        from ecomcheck.profile_io import iter_document, iter_jsonl

        if inp.kind == "empty":
            self.bad(inp.target, "empty file: no seller profile in it")
            return
        if inp.kind == "json":
            self.check_all(iter_document(self.document(inp), inp.target))
            return
        if inp.target == "-":
            stream: IO[bytes] = io.BufferedReader(_Prefixed(inp.head, sys.stdin.buffer))
            self.check_all(iter_jsonl(stream, "-"))
            return
        try:
            with Path(inp.target).open("rb") as f:
                self.check_all(iter_jsonl(f, inp.target))
        except BrokenPipeError:
            raise  # the reader of stdout went away (``| head``): not an input problem
        except OSError as exc:
            self.error(f"{inp.target}: cannot read ({exc.strerror or exc})")

    def document(self, inp: _Input) -> bytes:
        limit = MAX_INPUT_BYTES
        hint = "; write one profile per line instead (JSON Lines, .jsonl)"
        if inp.target == "-":
            data = inp.head + sys.stdin.buffer.read(limit + 1 - len(inp.head))
            if len(data) > limit:
                raise _UsageError(f"-: a JSON document over {limit} bytes{hint}")
            return data
        size = Path(inp.target).stat().st_size
        if size > limit:
            raise _UsageError(f"{inp.target}: {size} bytes is over the {limit} byte limit{hint}")
        return _read(inp.target)

    def check_all(self, records: Iterable[ProfileRecord]) -> None:

        show = self.args.show_personal_data
        for n, rec in enumerate(records, 1):
            where = rec.where
            if rec.profile is None:
                self.bad(where, rec.error or "unreadable", sha256=rec.sha256)
            else:
                report = self.checker.check_profile(
                    rec.profile, show_personal_data=show, record=where, sha256=rec.sha256
                )
                if report.subject.name is None:
                    report.subject.name = where
                if report.status is RunStatus.NOT_ASSESSED:
                    self.error(f"{where}: not assessed: {report.reason}")
                self.emit(report, profile=rec.profile, record=where)
            self.progress.tick(where, n)
        self.progress.clear()

    def bad(self, where: str, reason: str, *, sha256: str | None = None) -> None:
        from ecomcheck.models import Subject
        from ecomcheck.render.messages import render

        self.error(f"{where}: {reason}")
        subject = Subject(kind="profile", name=where, sha256=sha256)
        # A report for the bad record keeps output lines in step with input records.
        localised = render(self.checker.config.lang, "scan.invalid_record", {"detail": reason})
        self.emit(self.checker.not_assessed(subject, localised))


def _cmd_check(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from ecomcheck.engine import Checker

    if args.url and len(args.targets) > 1:
        raise _UsageError("--url applies to one target only")
    if args.targets.count("-") > 1:
        raise _UsageError("standard input ('-') can be read only once")
    urls = [t for t in args.targets if _is_url(t)]
    if args.archive and len(urls) != 1:
        raise _UsageError("--archive applies to exactly one URL target")
    try:
        settings = load_settings(args.config).with_overrides(
            select=split_ids(args.select) or None,
            ignore=split_ids(args.ignore) or None,
            lang=args.lang,
            as_of=args.as_of,
            fail_on=args.fail_on,
            max_pages=args.max_pages,
            max_products=args.max_products,
            delay=args.delay,
            timeout=args.timeout,
            refuse_private=False if args.allow_private else None,
        )
        if args.suppressions:
            load_suppressions(args.suppressions)
    except SettingsError as exc:
        raise _UsageError(str(exc)) from exc
    except ValidationError as exc:
        raise _UsageError(str(exc.errors()[0]["msg"])) from exc
    config = settings.config
    checker = Checker(config)
    if not checker.rules:
        raise _UsageError("--select/--ignore leave no rule to run (see 'ecomcheck rules')")
    inputs = [
        _Input(t, "site")
        if _is_url(t)
        else _Input(t, "archive")
        if is_archive_path(t) and Path(t).is_file()
        else _sniff(t)
        for t in args.targets
    ]
    if args.url and any(i.kind != "page" for i in inputs if i.error is None):
        raise _UsageError("--url applies to pages; a seller profile carries its own url")
    if any(i.kind == "jsonl" for i in inputs):
        mode = "lines"
    elif len(inputs) > 1 or inputs[0].is_array:
        mode = "array"
    else:
        mode = "single"
    output = _Output(args.format, config.lang, mode)
    run = _Run(args, checker, output, settings)
    try:
        for inp in inputs:
            if inp.error is not None:
                run.error(inp.error)
            elif inp.kind == "page":
                try:
                    run.page(inp)
                except _UsageError as exc:
                    run.error(str(exc))
            elif inp.kind in ("site", "archive"):
                try:
                    run.site(inp)
                except _UsageError as exc:
                    run.error(str(exc))
            else:
                try:
                    run.records(inp)
                except _UsageError as exc:
                    run.error(str(exc))
    finally:
        run.progress.clear()
        output.close()
    for sup in run.expired.values():
        print(
            f"ecomcheck: suppression of {sup.fingerprint} expired on {sup.expires}; "
            "its findings are reported again",
            file=sys.stderr,
        )
    if run.unreadable:
        return 2
    return 1 if run.failing else 0


def _is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


# A shop's bare address ("shop.vn", "cửahàng.vn/chinh-sach"), as people type it.
_BARE_HOST_RE = re.compile(r"^(?:www\.)?[^\W_][\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}(?:/\S*)?$")


def _is_domain(host: str) -> bool:
    from ecomcheck.validate.domain import registrable_domain

    return registrable_domain(host) is not None


def _no_such_file(target: str) -> str:
    """The error for a missing file, with a hint when a web address was meant."""
    scheme, sep, _ = target.partition("://")
    if sep and scheme.isalpha():
        return f"{target}: no such file; only http:// and https:// addresses can be checked"
    if _BARE_HOST_RE.match(target) and _is_domain(target.partition("/")[0]):
        return f"{target}: no such file; to check a website, give its address: https://{target}"
    return f"{target}: no such file"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
