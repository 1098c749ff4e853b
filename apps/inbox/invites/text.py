"""Text from a message made safe to store and show, shared by the other modules of the package."""

from __future__ import annotations

import re

URL = re.compile(r"https?://[^\s<>\"'()\[\]{}]{1,2000}", re.IGNORECASE)
_ADDRESS = re.compile(r"[^@\s<>\"(),;:\[\]]{1,64}@[^@\s<>\"(),;:\[\]]{1,190}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text that any database and page can take: no NUL or other control characters, no surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub("", text)


def one_line(text: str) -> str:
    return _SPACES.sub(" ", clean(text)).strip()


def clean_address(address: str) -> str:
    address = clean(address).strip().strip("<>").lower()
    return address if len(address) <= 254 and _ADDRESS.fullmatch(address) else ""
