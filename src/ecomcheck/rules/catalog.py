"""Imports every rule module so that its rules register (order does not matter)."""

from ecomcheck.rules import (  # noqa: F401
    contact,
    identity,
    notification,
    policy,
)
