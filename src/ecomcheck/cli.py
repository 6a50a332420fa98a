"""Command line: ``ecomcheck check``, ``ecomcheck rules``, ``ecomcheck explain``.

Exit codes: 0 no ``fail`` finding at or above ``--fail-on``; 1 there are; 2 usage
error or unreadable input (a one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ecomcheck import __version__
from ecomcheck.config import Config
from ecomcheck.models import Report, RunStatus, Severity

MAX_INPUT_BYTES = 64 * 1024 * 1024


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ecomcheck",
        description="Check Vietnamese online shops and sellers for compliance problems.",
    )
    p.add_argument("--version", action="version", version=f"ecomcheck {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="check saved pages (HTML files, '-' for stdin)")
    c.add_argument("targets", nargs="+", metavar="FILE")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--lang", choices=("vi", "en"), default="vi")
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
        default="low",
        help="lowest severity of a fail finding that makes the exit code 1",
    )
    c.add_argument("--url", help="URL the page was saved from (one target only)")
    c.add_argument("--as-of", type=_date, help="date whose legal regime applies (YYYY-MM-DD)")
    c.add_argument("--content-type", help="HTTP Content-Type the page was served with")

    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--format", choices=("text", "json"), default="text")

    e = sub.add_parser("explain", help="print the documentation of a rule")
    e.add_argument("rule_id")
    return p


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}") from exc


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(x.strip() for v in values for x in v.split(",") if x.strip())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "rules":
            return _cmd_rules(args.format)
        if args.command == "explain":
            return _cmd_explain(args.rule_id)
        return _cmd_check(args)
    except _UsageError as exc:
        print(f"ecomcheck: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
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
        raise _UsageError(f"{target}: no such file") from exc
    except PermissionError as exc:
        raise _UsageError(f"{target}: permission denied") from exc
    except OSError as exc:
        raise _UsageError(f"{target}: cannot read ({exc.strerror or exc})") from exc


def _cmd_check(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from ecomcheck.engine import Checker

    if args.url and len(args.targets) > 1:
        raise _UsageError("--url applies to one target only")
    try:
        config = Config(
            select=_split(args.select),
            ignore=_split(args.ignore),
            lang=args.lang,
            as_of=args.as_of,
        )
    except ValidationError as exc:
        raise _UsageError(str(exc.errors()[0]["msg"])) from exc
    checker = Checker(config)
    if not checker.rules:
        raise _UsageError("--select/--ignore leave no rule to run (see 'ecomcheck rules')")
    fail_on = Severity(args.fail_on)
    reports: list[Report] = []
    unreadable = False
    for target in args.targets:
        data = _read(target)
        report = checker.check_page(data, url=args.url, content_type=args.content_type)
        if report.subject.name is None and target != "-":
            report.subject.name = target
        if report.status is RunStatus.NOT_ASSESSED:
            unreadable = True
            print(f"ecomcheck: {target}: not assessed: {report.reason}", file=sys.stderr)
        reports.append(report)
    _emit(reports, args.format, args.lang)
    if unreadable:
        return 2
    return 1 if any(r.failed(fail_on) for r in reports) else 0


def _emit(reports: list[Report], fmt: str, lang: str) -> None:
    if fmt == "json":
        if len(reports) == 1:
            sys.stdout.write(reports[0].model_dump_json(indent=2) + "\n")
        else:
            body = ",\n".join(r.model_dump_json(indent=2) for r in reports)
            sys.stdout.write("[\n" + body + "\n]\n")
    else:
        from ecomcheck.render.text import render_text

        sys.stdout.write(render_text(reports, lang))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
