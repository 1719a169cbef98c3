"""Checking and normalizing the addresses people give: Thai mobile numbers, e-mail, LINE IDs."""

import re

from flask_babel import gettext as _

from forum.notify.models import Channel

# Thai mobile numbers: 0 then 6, 8 or 9, ten digits in all; +66 / 66 instead of the 0.
_MOBILE = re.compile(r"0[689]\d{8}")
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
# A LINE user (U…), group (C…) or room (R…) ID: the letter and 32 hexadecimal digits.
_LINE_ID = re.compile(r"[UCR][0-9a-f]{32}")


class AddressError(ValueError):
    """The address cannot be used; the message is translated and meant for the user."""


def normalize_phone(value: str) -> str | None:
    """``0812345678`` from ``081-234-5678``, ``+66 81 234 5678`` …; None when not a Thai mobile."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("+66"):
        digits = "0" + digits[3:]
    elif digits.startswith("66") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None


def phone_e164(phone: str) -> str:
    """``66812345678`` for gateways that want the country code (no plus sign)."""
    return "66" + phone[1:]


def normalize(channel: str, value: str) -> str:
    """The address in its stored form, or AddressError with a message for the field."""
    value = (value or "").strip()
    if not value:
        raise AddressError(_("Enter the address to send to."))
    if channel == Channel.SMS:
        phone = normalize_phone(value)
        if phone is None:
            raise AddressError(
                _("Enter a Thai mobile number of 10 digits starting with 06, 08 or 09, "
                  "e.g. 081-234-5678.")
            )
        return phone
    if channel == Channel.EMAIL:
        if len(value) > 254 or not _EMAIL.fullmatch(value):
            raise AddressError(_("Enter an e-mail address such as name@example.com."))
        local, domain = value.rsplit("@", 1)
        return f"{local}@{domain.lower()}"
    if channel == Channel.LINE:
        if not _LINE_ID.fullmatch(value):
            raise AddressError(
                _("Enter a LINE user or group ID: U or C followed by 32 characters 0-9, a-f.")
            )
        return value
    raise AddressError(_("Choose a channel."))
