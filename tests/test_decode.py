"""Tests for ecomcheck.extract.decode."""

from __future__ import annotations

import codecs
import random
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomcheck.extract.decode import (
    Decoded,
    declared_charset,
    decode_html,
    http_charset,
    normalize_label,
)
from pages import encode_cp1258

VI = "Tiếng Việt có dấu: Xuất xứ Hàn Quốc, giá 150.000₫, đặt hàng ngay."


def page(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_plain_utf8() -> None:
    out = decode_html(page(VI).encode())
    assert isinstance(out, Decoded)
    assert VI in out.text
    assert out.encoding == "utf-8"
    assert out.warnings == ()


def test_utf8_bom_is_stripped() -> None:
    out = decode_html(codecs.BOM_UTF8 + page(VI).encode())
    assert out.text.startswith("<html>")
    assert VI in out.text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    out = decode_html(bom + page(VI).encode(codec))
    assert VI in out.text
    assert out.encoding == codec


def test_utf16_without_bom() -> None:
    out = decode_html(page(VI).encode("utf-16-le"))
    assert VI in out.text
    assert "binary_input" not in out.warnings


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">',
        '<meta charset="windows-1252">',
        '<meta charset="latin1">',
    ],
)
def test_utf8_with_wrong_latin1_label_stays_utf8(meta: str) -> None:
    out = decode_html(page(VI, meta).encode(), "text/html; charset=iso-8859-1")
    assert VI in out.text
    assert out.encoding == "utf-8"


def test_cp1258_declared_in_meta_is_decoded_and_recomposed() -> None:
    data = encode_cp1258(page(VI, '<meta charset="windows-1258">'))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    out = decode_html(data)
    assert out.encoding == "cp1258"
    assert VI in out.text  # NFC: tone marks recomposed
    assert unicodedata.is_normalized("NFC", out.text)


def test_cp1258_from_http_header() -> None:
    data = encode_cp1258(page(VI))
    out = decode_html(data, "text/html; charset=windows-1258")
    assert out.encoding == "cp1258"
    assert VI in out.text


def test_http_charset_wins_over_meta() -> None:
    data = page("café €5", '<meta charset="koi8-r">').encode("cp1252")
    out = decode_html(data, 'text/html; charset="windows-1252"')
    assert "café €5" in out.text


def test_latin1_label_means_windows_1252() -> None:
    data = page("giá €5 — “ok”", '<meta charset="iso-8859-1">').encode("cp1252")
    out = decode_html(data)
    assert "giá €5 — “ok”" in out.text
    assert out.encoding == "cp1252"


def test_unknown_or_unsafe_label_falls_back_to_guess() -> None:
    body = "Thương hiệu nổi tiếng, hàng chính hãng, giao hàng toàn quốc. " * 20
    data = encode_cp1258(page(body, '<meta charset="x-user-defined">'))
    out = decode_html(data)
    assert "encoding_guessed" in out.warnings or "decoding_replaced" in out.warnings
    assert isinstance(out.text, str)


@pytest.mark.parametrize("label", ["base64", "rot13", "zlib", "utf-7", "hex", "bogus-cs"])
def test_non_text_labels_are_ignored(label: str) -> None:
    assert normalize_label(label) is None
    data = page("caf\xe9", f'<meta charset="{label}">').encode("cp1252")
    out = decode_html(data)  # must not raise, must not return bytes
    assert isinstance(out.text, str)


def test_normalize_label() -> None:
    assert normalize_label("UTF8") == "utf-8"
    assert normalize_label(" 'ISO-8859-1' ") == "cp1252"
    assert normalize_label("Windows-1258") == "cp1258"
    assert normalize_label("gb2312") == "gb18030"
    assert normalize_label("koi8-r") == "koi8-r"
    assert normalize_label("") is None
    assert normalize_label(None) is None


def test_charset_helpers() -> None:
    assert http_charset("text/html; charset=UTF-8") == "UTF-8"
    assert http_charset("text/html") is None
    assert http_charset(None) is None
    assert declared_charset(b'<meta charset="windows-1258">') == "windows-1258"
    assert declared_charset(b'<?xml version="1.0" encoding="ISO-8859-1"?><html>') == "ISO-8859-1"
    assert declared_charset(b"<html>" + b" " * 5000 + b'<meta charset="koi8-r">') is None


def test_nul_bytes_are_removed_even_inside_a_letter() -> None:
    raw = bytearray(page(VI).encode())
    at = raw.find("ế".encode())
    raw[at + 1 : at + 1] = b"\x00"  # inside the 3-byte sequence
    raw[10:10] = b"\x00\x00"
    out = decode_html(bytes(raw))
    assert VI in out.text
    assert "\x00" not in out.text
    assert "nul_bytes_removed" in out.warnings


def test_truncated_multibyte_sequence_is_replaced_not_guessed() -> None:
    data = page(VI).encode() + "Cảm ơn quý khách đã mua hà".encode()[:-1]
    out = decode_html(data)
    assert VI in out.text
    assert out.encoding == "utf-8"
    assert out.text.count("\ufffd") == 1
    assert "decoding_replaced" in out.warnings


def test_stray_latin1_byte_in_utf8_page() -> None:
    data = page(VI * 3).encode() + b"<p>caf\xe9</p>"
    out = decode_html(data)
    assert VI in out.text
    assert out.text.count("\ufffd") == 1


@pytest.mark.parametrize(
    "blob",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        b"PK\x03\x04" + b"\x14\x00\x00\x00" * 50,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj" * 20,
        b"\x1f\x8b\x08\x00" + bytes(range(200)),
        b"\xff\xd8\xff\xe0" + bytes(300),
    ],
)
def test_binary_formats_are_flagged(blob: bytes) -> None:
    out = decode_html(blob)
    assert "binary_input" in out.warnings
    assert isinstance(out.text, str)


def test_random_bytes_are_flagged() -> None:
    rng = random.Random(7)
    blob = bytes(rng.randrange(256) for _ in range(20_000))
    assert "binary_input" in decode_html(blob).warnings


def test_text_with_a_few_controls_is_not_binary() -> None:
    data = page(VI + "\x0b\x01" * 3).encode()
    assert "binary_input" not in decode_html(data).warnings


def test_empty_and_views() -> None:
    assert decode_html(b"").text == ""
    assert VI in decode_html(bytearray(page(VI).encode())).text
    assert VI in decode_html(memoryview(page(VI).encode())).text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4000), st.one_of(st.none(), st.text(max_size=40)))
def test_never_raises(data: bytes, content_type: str | None) -> None:
    out = decode_html(data, content_type)
    assert isinstance(out.text, str)
    assert isinstance(out.encoding, str)
    assert "\x00" not in out.text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=500))
def test_any_utf8_text_round_trips(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass") if text else b""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    out = decode_html(data)
    if "binary_input" not in out.warnings and out.encoding == "utf-8":
        assert out.text == text.replace("\x00", "")


@pytest.mark.parametrize("pad", ["after", "before", "both"])
def test_nul_padding_is_not_binary(pad: str) -> None:
    page = "<html><body><p>Áo thun cotton, giá 199.000đ</p></body></html>".encode()
    nuls = b"\x00" * 20_000
    data = {"after": page + nuls, "before": nuls + page, "both": nuls + page + nuls}[pad]
    out = decode_html(data)
    assert "binary_input" not in out.warnings and "nul_bytes_removed" in out.warnings
    assert "Áo thun cotton" in out.text and "\x00" not in out.text


def test_padded_binary_is_still_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(random.Random(7).randrange(256) for _ in range(4000))
    assert "binary_input" in decode_html(b"\x00" * 100 + png + b"\x00" * 100).warnings


# --- pages without a declared charset ----------------------------------------------------

WESTERN = {
    "fr": "Café crème, élégant: voilà où se trouve la fenêtre, à côté. Déjà là, très près.",
    "de": "Größe und Qualität: Müller-Straße, schöne Grüße. Übergröße. © Müller GmbH ®",
    "en": "Our café’s résumé — “quality” © 2026 Brand® All rights reserved. Naïve façade.",
    "pt": "Loja em São Paulo: informações sobre a devolução, não há taxa. Promoções.",
    "it": "Perché la qualità è più alta? Però può darsi, così è la città.",
    "es": "Envío rápido a España, señor. ¿Qué tal? Año nuevo, niño pequeño.",
    "short": "Straße © 2026",
}


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
@pytest.mark.parametrize("lang", sorted(WESTERN))
def test_undeclared_western_page_is_windows_1252(lang: str, codec: str) -> None:
    text = page(WESTERN[lang])
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        pytest.skip("not representable in Latin-1")
    out = decode_html(data)
    assert out.encoding == "cp1252"
    assert out.text == text
    assert out.warnings == ("encoding_guessed",)


@pytest.mark.parametrize(
    "text",
    [
        "Chính sách đổi trả: Quý khách được đổi hàng trong vòng 7 ngày kể từ khi nhận hàng.",
        VI,
        "Áo thun nữ",
        "Đặt hàng",
    ],
)
def test_undeclared_vietnamese_windows_1258_page(text: str) -> None:
    out = decode_html(encode_cp1258(page(text)))
    assert out.encoding == "cp1258"
    assert unicodedata.normalize("NFC", text) in out.text


def test_undeclared_utf8_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import ecomcheck.extract.decode as decode

    def refuse(data: bytes) -> None:
        raise AssertionError("UTF-8 must never be guessed")

    monkeypatch.setattr(decode, "_guess", refuse)
    for text in (VI, *WESTERN.values()):
        out = decode_html(page(text).encode())
        assert out.encoding == "utf-8" and out.warnings == () and text in out.text


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1250", "Zażółć gęślą jaźń. Wysyłka w ciągu dwóch dni roboczych, łatwy zwrot."),
        ("cp1250", "Příliš žluťoučký kůň úpěl ďábelské ódy. Vrácení zboží do čtrnácti dnů."),
        ("cp1251", "Интернет-магазин одежды: доставка по всей России, возврат 14 дней."),
        ("cp1253", "Ηλεκτρονικό κατάστημα: αποστολή σε όλη την Ελλάδα, επιστροφές."),
        ("gbk", "网上商店：全国包邮，七天无理由退货。正品保证，价格优惠。"),
        ("shift_jis", "オンラインショップ：全国送料無料、七日間返品可能。正規品保証。"),
        ("euc-kr", "온라인 쇼핑몰: 전국 무료 배송, 7일 이내 반품 가능."),
    ],
)
def test_other_scripts_are_still_left_to_the_detector(codec: str, text: str) -> None:
    # Neither windows-1252 nor windows-1258 may swallow them.
    out = decode_html(page(text).encode(codec))
    assert out.encoding not in ("cp1252", "cp1258")
    assert text in out.text
