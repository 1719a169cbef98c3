"""The one link in every message: ``/n/<reference>.<signature>``.

It opens a page with what the message is about and a button that stops these messages, with
no log-in. The reference is random and the signature an HMAC of it under the app's secret key,
so a link cannot be guessed or forged; it is short enough to leave room in one SMS.
"""

import hashlib
import hmac
from base64 import urlsafe_b64encode

from flask import current_app

SIGNATURE_CHARS = 8  # 48 bits: forging means guessing online, one request at a time


def _signature(reference: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, b"notify-link:" + reference.encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]


def token_for(reference: str) -> str:
    return f"{reference}.{_signature(reference)}"


def reference_from(token: str) -> str | None:
    """The reference of a genuine token, or None for anything forged or mangled."""
    reference, dot, signature = (token or "").rpartition(".")
    if not dot or not reference or len(reference) > 16:
        return None
    if not hmac.compare_digest(signature.encode(), _signature(reference).encode()):
        return None
    return reference


def base_url() -> str:
    return current_app.config.get("NOTIFY_BASE_URL", "http://localhost:5000").rstrip("/")


def message_link(reference: str) -> str:
    return f"{base_url()}/n/{token_for(reference)}"
