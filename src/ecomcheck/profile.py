"""Seller-profile input models (design §5): sellers on social networks and marketplaces.

The field names are a contract with crawlers and officers' tools. Extra fields are
allowed and ignored; malformed values raise :class:`pydantic.ValidationError` whose
errors name the field (``listings.3.price``).

Two optional fields extend the contract: ``id`` on a profile (the platform's seller
id) and on a listing (the platform's product id). They only help to identify the
subject when there is no URL.

Text fields keep their original value (no stripping), so evidence offsets point into
exactly the string the crawler sent. ``null`` is accepted for every field and means
"not collected".
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, field_validator

__all__ = ["MARKETPLACES", "SOCIAL_PLATFORMS", "Listing", "Platform", "SellerProfile"]


class Platform(StrEnum):
    """Where the seller sells; anything unknown is ``other``."""

    FACEBOOK = "facebook"
    ZALO = "zalo"
    TIKTOK = "tiktok"
    SHOPEE = "shopee"
    LAZADA = "lazada"
    TIKI = "tiki"
    SENDO = "sendo"
    WEBSITE = "website"
    OTHER = "other"


SOCIAL_PLATFORMS = frozenset({Platform.FACEBOOK, Platform.ZALO, Platform.TIKTOK})
MARKETPLACES = frozenset({Platform.SHOPEE, Platform.LAZADA, Platform.TIKI, Platform.SENDO})


# JSON Schema of what the validators accept (the Python types are what they produce).
_TEXT = WithJsonSchema({"type": ["string", "null"]})
_OPT_TEXT = WithJsonSchema({"type": ["string", "null"]})
_ID = WithJsonSchema({"type": ["string", "integer", "null"]})
_TEXTS = WithJsonSchema({"type": ["array", "null"], "items": {"type": "string"}})
_PLATFORM = WithJsonSchema(
    {
        "type": ["string", "null"],
        "examples": [p.value for p in Platform],
        "description": "One of "
        + ", ".join(p.value for p in Platform)
        + " (any case); any other value, or null, is read as other.",
    }
)


def _none_to_empty_str(v: Any) -> Any:
    return "" if v is None else v


def _id_to_str(v: Any) -> Any:
    # Platform ids arrive as numbers from most APIs; bool is a crawler bug, not an id.
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    return v


class Listing(BaseModel):
    """One product or service a seller offers.

    Attributes:
        title: The listing's title as shown.
        description: Its description as plain text.
        price: The price shown, or ``None`` when no price is shown (then the text
            decides whether the price is hidden).
        currency: ISO 4217 code of ``price``.
        origin: The origin field of the listing, if the platform has one; when
            missing, the title and description decide.
        url: The listing's own URL.
        brand: The brand field.
        category: The platform's category.
        id: The platform's product id (an extension of the contract).
    """

    model_config = ConfigDict(extra="ignore", title="Listing")

    title: Annotated[str, _TEXT] = Field(default="", description="The title as shown.")
    description: Annotated[str, _TEXT] = Field(
        default="", description="The description as plain text (HTML tags removed)."
    )
    price: float | None = Field(
        default=None,
        ge=0,
        allow_inf_nan=False,
        description='The price shown, as a number (150000, not "150k"); null when no price '
        "is shown, and then the title and description decide whether it is hidden.",
    )
    currency: Annotated[str, _TEXT] = Field(
        default="VND", description="ISO 4217 code of price; VND when missing."
    )
    origin: Annotated[str | None, _OPT_TEXT] = Field(
        default=None,
        description='The platform\'s origin field ("Việt Nam", "Hàn Quốc"); when missing, '
        "the title and description decide.",
    )
    url: Annotated[str | None, _OPT_TEXT] = Field(default=None, description="The listing's URL.")
    brand: Annotated[str | None, _OPT_TEXT] = Field(default=None, description="The brand field.")
    category: Annotated[str | None, _OPT_TEXT] = Field(
        default=None, description="The platform's category."
    )
    id: Annotated[str | None, _ID] = Field(
        default=None, description="The platform's product id (optional extension)."
    )

    @field_validator("title", "description", mode="before")
    @classmethod
    def _null_text(cls, v: Any) -> Any:
        return _none_to_empty_str(v)

    @field_validator("currency", mode="before")
    @classmethod
    def _currency(cls, v: Any) -> Any:
        if v is None:
            return "VND"
        if isinstance(v, str):
            return v.strip().upper() or "VND"
        return v

    @field_validator("price", mode="before")
    @classmethod
    def _no_bool_price(cls, v: Any) -> Any:
        if isinstance(v, bool):
            raise ValueError("a price must be a number or null, not true/false")
        return v

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, v: Any) -> Any:
        return _id_to_str(v)


class SellerProfile(BaseModel):
    """A seller as a crawler or an officer records it.

    Attributes:
        platform: Where the seller sells; unknown names become ``other``.
        url: The profile's or shop's URL.
        display_name: The name the seller shows.
        about: Free text from the profile ("Giới thiệu", shop description).
        phones: Phone numbers as written.
        emails: E-mail addresses as written.
        address: The address as written.
        business_registration_number: Enterprise code / tax code, household
            business number or 12-digit personal number, as written.
        listings: What the seller offers.
        id: The platform's seller id (an extension of the contract).
    """

    model_config = ConfigDict(extra="ignore", title="SellerProfile")

    platform: Annotated[Platform, _PLATFORM] = Field(default=Platform.OTHER)
    url: Annotated[str | None, _OPT_TEXT] = Field(
        default=None, description="The profile's or shop's URL."
    )
    display_name: Annotated[str, _TEXT] = Field(
        default="", description="The name the seller shows."
    )
    about: Annotated[str, _TEXT] = Field(
        default="",
        description="Free text of the profile (introduction, shop description) as plain text.",
    )
    phones: Annotated[list[str], _TEXTS] = Field(
        default_factory=list, description="Phone numbers as written, one string each."
    )
    emails: Annotated[list[str], _TEXTS] = Field(
        default_factory=list, description="E-mail addresses as written."
    )
    address: Annotated[str | None, _OPT_TEXT] = Field(
        default=None, description="The seller's address as written."
    )
    business_registration_number: Annotated[str | None, _OPT_TEXT] = Field(
        default=None,
        description="Enterprise code / tax code (0106773786), household business number, or "
        "the 12-digit personal number of an individual, as a string as written.",
    )
    listings: list[Listing] = Field(
        default_factory=list,
        description="What the seller offers; null is read as none.",
        json_schema_extra={"type": ["array", "null"]},
    )
    id: Annotated[str | None, _ID] = Field(
        default=None, description="The platform's seller id (optional extension)."
    )

    @field_validator("platform", mode="before")
    @classmethod
    def _known_platform(cls, v: Any) -> Any:
        if v is None:
            return Platform.OTHER
        if isinstance(v, str):
            key = v.strip().lower()
            return key if key in Platform._value2member_map_ else Platform.OTHER
        return v

    @field_validator("display_name", "about", mode="before")
    @classmethod
    def _null_text(cls, v: Any) -> Any:
        return _none_to_empty_str(v)

    @field_validator("phones", "emails", "listings", mode="before")
    @classmethod
    def _null_list(cls, v: Any) -> Any:
        return [] if v is None else v

    @field_validator("business_registration_number", mode="before")
    @classmethod
    def _number_as_text(cls, v: Any) -> Any:
        # A number sent as a JSON number has lost its leading zero; say so.
        if isinstance(v, int | float) and not isinstance(v, bool):
            raise ValueError(
                "send the number as a string: as a JSON number it loses its leading zeros"
            )
        return v

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, v: Any) -> Any:
        return _id_to_str(v)

    @property
    def is_social(self) -> bool:
        """True for sellers on a social network (Facebook, Zalo, TikTok)."""
        return self.platform in SOCIAL_PLATFORMS

    @property
    def is_marketplace(self) -> bool:
        """True for sellers on a marketplace (Shopee, Lazada, Tiki, Sendo)."""
        return self.platform in MARKETPLACES
