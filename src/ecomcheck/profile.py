"""Seller-profile input models (design §5): sellers on social networks and marketplaces.

The field names are a contract with crawlers and officers' tools. Extra fields are
allowed and ignored; malformed values raise :class:`pydantic.ValidationError` whose
errors name the field (``listings.3.price``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


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


class Listing(BaseModel):
    """One product or service a seller offers."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str = ""
    description: str = ""
    price: float | None = Field(default=None, ge=0, description="null when not shown")
    currency: str = "VND"
    origin: str | None = None
    url: str | None = None
    brand: str | None = None
    category: str | None = None


class SellerProfile(BaseModel):
    """A seller as a crawler or an officer records it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    platform: Platform = Platform.OTHER
    url: str | None = None
    display_name: str = ""
    about: str = ""
    phones: list[str] = Field(default_factory=list)
    emails: list[str] = Field(default_factory=list)
    address: str | None = None
    business_registration_number: str | None = None
    listings: list[Listing] = Field(default_factory=list)

    @field_validator("platform", mode="before")
    @classmethod
    def _known_platform(cls, v: Any) -> Any:
        if v is None:
            return Platform.OTHER
        if isinstance(v, str):
            key = v.strip().lower()
            return key if key in Platform._value2member_map_ else Platform.OTHER
        return v
