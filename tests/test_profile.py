"""Seller-profile input: the §5 models, their errors, and reading JSON / JSON Lines."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from ecomcheck import Listing, Platform, SellerProfile
from ecomcheck.profile_io import (
    describe_validation_error,
    iter_document,
    iter_jsonl,
    sniff,
    validate_profile,
)
from ecomcheck.profile_subject import listing_index, mask_personal, pointer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "profiles"
SCHEMA = json.loads((ROOT / "docs" / "profile.schema.json").read_text("utf-8"))


# --- models ---------------------------------------------------------------------------


def test_contract_field_names() -> None:
    assert set(SellerProfile.model_fields) >= {
        "platform",
        "url",
        "display_name",
        "about",
        "phones",
        "emails",
        "address",
        "business_registration_number",
        "listings",
    }
    assert set(Listing.model_fields) >= {
        "title",
        "description",
        "price",
        "currency",
        "origin",
        "url",
        "brand",
        "category",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("facebook", Platform.FACEBOOK),
        (" TikTok ", Platform.TIKTOK),
        ("instagram", Platform.OTHER),
        ("", Platform.OTHER),
        (None, Platform.OTHER),
    ],
)
def test_unknown_platform_is_other(value: object, expected: Platform) -> None:
    assert SellerProfile.model_validate({"platform": value}).platform is expected


def test_extra_fields_ignored_and_nulls_mean_not_collected() -> None:
    p = SellerProfile.model_validate(
        {
            "display_name": None,
            "about": None,
            "phones": None,
            "listings": [{"title": None, "currency": None, "seller_sku": "A1"}],
            "crawl": {"at": "2026-11-29"},
            "id": 175215,
        }
    )
    assert p.display_name == "" and p.phones == [] and p.id == "175215"
    assert p.listings[0].title == "" and p.listings[0].currency == "VND"


def test_text_fields_keep_their_original_value() -> None:
    # Evidence offsets point into the string as sent, so nothing is trimmed.
    p = SellerProfile.model_validate({"about": "  MST: 0101248141  "})
    assert p.about == "  MST: 0101248141  "


@pytest.mark.parametrize(
    ("data", "pointer_", "words"),
    [
        ({"phones": "0913 456 789"}, "/phones", "valid list"),
        ({"listings": [{"price": -5}]}, "/listings/0/price", "greater than or equal to 0"),
        ({"listings": [{}, {"price": "150k"}]}, "/listings/1/price", "valid number"),
        ({"listings": [{"price": True}]}, "/listings/0/price", "not true/false"),
        ({"listings": "Áo thun"}, "/listings", "valid list"),
        ({"listings": ["Áo thun"]}, "/listings/0", "valid dictionary"),
        ({"business_registration_number": 101248141}, "/business_registration_number", "string"),
        ({"platform": 3}, "/platform", "Input should be"),
    ],
)
def test_malformed_values_name_the_field(
    data: dict[str, object], pointer_: str, words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        SellerProfile.model_validate(data)
    message = describe_validation_error(info.value)
    assert message.startswith(pointer_ + ":"), message
    assert words in message


def test_error_messages_never_repeat_values() -> None:
    with pytest.raises(ValidationError) as info:
        SellerProfile.model_validate({"phones": [913456789], "listings": [{"price": -79203012345}]})
    message = describe_validation_error(info.value)
    assert "913456789" not in message and "79203012345" not in message
    assert "(got a number)" in message


def test_nan_price_rejected() -> None:
    profile, error = validate_profile(json.loads('{"listings": [{"price": NaN}]}'))
    assert profile is None and error is not None and "/listings/0/price" in error


def test_not_a_profile() -> None:
    assert (
        validate_profile([1, 2])[1] == "expected a JSON object (one seller profile), got an array"
    )
    profile, error = validate_profile({"name": "x", "seller": "y"})
    assert profile is None and error is not None and error.startswith("not a seller profile")


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.name)
def test_committed_schema_accepts_the_valid_fixtures(path: Path) -> None:
    text = path.read_text("utf-8")
    if path.name in ("malformed.json", "empty.json"):
        return
    data = json.loads(text)
    ok = validate_profile(data)[0] is not None
    if ok:
        jsonschema.validate(data, SCHEMA)
    else:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, SCHEMA)


def test_examples_are_valid_profiles() -> None:
    jsonschema.validate(json.loads((ROOT / "examples" / "seller.json").read_text("utf-8")), SCHEMA)
    for line in (ROOT / "examples" / "sellers.jsonl").read_text("utf-8").splitlines():
        data = json.loads(line)
        jsonschema.validate(data, SCHEMA)
        assert validate_profile(data)[0] is not None


# --- pointers and masking --------------------------------------------------------------


def test_pointers() -> None:
    assert pointer("listings", 3, "title") == "/listings/3/title"
    assert pointer("a/b", "c~d") == "/a~1b/c~0d"
    assert listing_index("/listings/12/description") == 12
    assert listing_index("/about") is None and listing_index(None) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CCCD 079203012345 của chủ shop", "CCCD *********345 của chủ shop"),
        ("Zalo 0913 456 789 nhé", "Zalo **** *** 789 nhé"),
        ("Hotline 1900 6035", "Hotline 1900 6035"),
        ("MST 0101248141, giá 150.000đ", "MST 0101248141, giá 150.000đ"),
        ("CMND 123456789", "CMND ******789"),
    ],
)
def test_mask_personal(text: str, expected: str) -> None:
    assert mask_personal(text) == expected
    assert len(mask_personal(text)) == len(text)


# --- sniffing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "name", "at_eof", "kind"),
    [
        (b"<!doctype html><html>", "page.json", True, "page"),
        (b'{"platform": "facebook"}', "seller.json", True, "json"),
        (b'{"platform": "facebook"}\n', None, True, "json"),
        (b'{\n  "platform": "facebook"\n}\n', None, True, "json"),
        (b'{"a": 1}\n{"b": 2}\n', "sellers.txt", True, "jsonl"),
        (b'{"a": 1}\n{"b": 2}\n', "sellers.json", True, "jsonl"),
        (b'{"a": 1}\n', "sellers.jsonl", True, "jsonl"),
        (b"\xef\xbb\xbf  [ {}, {} ]", None, True, "json"),
        (b"", "x.json", True, "empty"),
        (b"   \n", "x.jsonl", True, "empty"),
        (b"", None, True, "page"),
        ('{"a": 1}\n{"b": 2}\n'.encode("utf-16"), None, True, "jsonl"),
    ],
)
def test_sniff(head: bytes, name: str | None, at_eof: bool, kind: str) -> None:
    assert sniff(head, name, at_eof=at_eof) == kind


# --- JSON Lines and documents ----------------------------------------------------------


def test_jsonl_records_keep_line_numbers_and_continue_after_bad_lines() -> None:
    data = (
        "\ufeff"
        + json.dumps({"display_name": "A"})
        + "\r\n\r\n"
        + '{"display_name": "B",\n'
        + '{"display_name": "C", "phones": "0913"}\n'
        + "\n"
        + json.dumps({"display_name": "D"})
    ).encode("utf-8")
    records = list(iter_jsonl(io.BufferedReader(io.BytesIO(data)), "s.jsonl"))
    assert [(r.line, r.index, r.profile is not None) for r in records] == [
        (1, 0, True),
        (3, 1, False),
        (4, 2, False),
        (6, 3, True),
    ]
    assert records[1].where == "s.jsonl:3"
    assert records[1].error is not None and records[1].error.startswith("not valid JSON")
    assert records[2].error is not None and records[2].error.startswith("/phones:")
    assert records[3].profile is not None and records[3].profile.display_name == "D"


def test_jsonl_invalid_utf8_and_overlong_lines() -> None:
    long = json.dumps({"display_name": "x" * 5000})
    data = b'{"display_name": "\xff"}\n' + long.encode() + b"\n" + b'{"display_name": "ok"}\n'
    records = list(iter_jsonl(io.BytesIO(data), "s.jsonl", max_line_bytes=1000))
    assert [r.error for r in records] == [
        "not UTF-8 text (byte 19)",
        "longer than 1000 bytes; skipped",
        None,
    ]
    assert [r.line for r in records] == [1, 2, 3]


def test_jsonl_utf16() -> None:
    data = json.dumps({"display_name": "Bánh"}) + "\n" + json.dumps({"display_name": "Kẹo"})
    records = list(iter_jsonl(io.BufferedReader(io.BytesIO(data.encode("utf-16"))), "s"))
    assert [r.profile.display_name for r in records if r.profile] == ["Bánh", "Kẹo"]


def test_document_forms() -> None:
    (one,) = iter_document(b'{"display_name": "A"}', "a.json")
    assert one.profile is not None and one.where == "a.json"
    many = list(iter_document(b'[{"display_name": "A"}, 5, {"phones": "x"}]', "a.json"))
    assert [r.where for r in many] == ["a.json[0]", "a.json[1]", "a.json[2]"]
    assert [r.profile is not None for r in many] == [True, False, False]
    (bad,) = iter_document(b'{"display_name": "A",}', "a.json")
    assert (
        bad.error
        == "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 22)"
    )
    (empty,) = iter_document(b"  \n", "a.json")
    assert empty.error == "empty file: no seller profile in it"
    (arr,) = iter_document(b"[]", "a.json")
    assert arr.error == "empty array: no seller profile in it"
    (deep,) = iter_document(b"[" * 100_000 + b"]" * 100_000, "a.json")
    assert deep.error is not None
