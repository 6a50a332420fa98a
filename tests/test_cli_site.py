"""The command line on whole sites, archives, config files, suppressions and formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ecomcheck.cli import main
from shop_server import ShopServer, no_proxy_env, shop_routes

__all__ = ["no_proxy_env"]

FAST = [
    "--allow-private",
    "--delay",
    "0",
    "--timeout",
    "0.3",
    "--max-products",
    "3",
    "--no-progress",
]


@pytest.fixture(scope="module")
def shop() -> ShopServer:
    pytest.importorskip("httpx")
    pytest.importorskip("warcio")
    with ShopServer() as other, ShopServer() as server:
        server.routes = shop_routes(other.base, remove=("/chinh-sach-doi-tra",))
        yield server


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_url_target_json_and_archive_recheck(
    shop: ShopServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    warc = tmp_path / "shop.warc.gz"
    code, out, _err = run(
        capsys, "check", shop.base, "--format", "json", "--archive", str(warc), *FAST
    )
    live = json.loads(out)
    assert live["subject"]["kind"] == "site"
    site_ids = {f["rule_id"] for f in live["findings"]}
    assert "policy.returns" in site_ids
    assert code == 1
    assert warc.stat().st_size > 0
    _code2, out2, _ = run(capsys, "check", str(warc), "--format", "json", "--no-progress")
    again = json.loads(out2)
    assert {f["fingerprint"] for f in again["findings"]} == {
        f["fingerprint"] for f in live["findings"]
    }
    assert all(e.get("record") for f in live["findings"] for e in f["evidence"] if e)


def test_html_sarif_csv_formats(shop: ShopServer, capsys: pytest.CaptureFixture[str]) -> None:
    _, html, _ = run(capsys, "check", shop.base, "--format", "html", *FAST)
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "http://" not in html.split("<body", 1)[0].replace(shop.base, "")
    _, sarif, _ = run(capsys, "check", shop.base, "--format", "sarif", *FAST)
    assert json.loads(sarif)["version"] == "2.1.0"
    _, text, _ = run(capsys, "check", shop.base, "--format", "csv", *FAST)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert any(r.get("rule_id") == "policy.returns" for r in rows)


def test_config_file_and_suppressions(
    shop: ShopServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out, _ = run(capsys, "check", shop.base, "--format", "json", *FAST)
    returns = next(f for f in json.loads(out)["findings"] if f["rule_id"] == "policy.returns")
    sup = tmp_path / "suppressions.toml"
    sup.write_text(
        "[[suppression]]\n"
        f'fingerprint = "{returns["fingerprint"]}"\n'
        'reason = "Trang đổi trả đang được viết lại"\n'
        'expires = "2999-01-01"\n',
        encoding="utf-8",
    )
    cfg = tmp_path / "ecomcheck.toml"
    cfg.write_text('lang = "en"\nselect = ["policy"]\n', encoding="utf-8")
    code, out, _ = run(
        capsys,
        "check",
        shop.base,
        "--format",
        "json",
        "--config",
        str(cfg),
        "--suppressions",
        str(sup),
        *FAST,
    )
    report = json.loads(out)
    assert report["lang"] == "en"
    marked = [f for f in report["findings"] if f["rule_id"] == "policy.returns"]
    assert marked and all(f["suppressed"] for f in marked)
    assert report["summary"]["suppressed"] >= 1
    assert code == 0

    sup.write_text(sup.read_text("utf-8").replace("2999-01-01", "2001-01-01"), "utf-8")
    code, out, err = run(
        capsys,
        "check",
        shop.base,
        "--format",
        "json",
        "--config",
        str(cfg),
        "--suppressions",
        str(sup),
        *FAST,
    )
    assert code == 1
    assert "expired" in err
    assert not any(f["suppressed"] for f in json.loads(out)["findings"])


def test_bad_settings_are_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cfg = tmp_path / "ecomcheck.toml"
    cfg.write_text("lang = 3\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "x.html", "--config", str(cfg))
    assert code == 2 and out == "" and err.startswith("ecomcheck: ")
    code, _, err = run(capsys, "check", "a.html", "--archive", "x.warc.gz")
    assert code == 2 and "--archive" in err
