"""Providers: e-mail over SMTP, SMS through an HTTP gateway, LINE Messaging API push.

Each ``send`` returns an ``Outcome`` and never raises for what a provider or the network does:

- ``sent``: the provider accepted the message;
- ``retry``: it was certainly not sent (no connection, a refusal that says "try later"), or the
  provider drops repeats of the same idempotency key, so sending again is safe;
- ``unknown``: the request reached the provider but no clear answer came back (timeout,
  dropped connection, garbage). Without an idempotency key a retry could send it twice, so the
  message stops there, visible to officers (at most once);
- ``dead``: refused for good (bad address, bad credentials): retrying cannot help.
"""

import base64
import http.client
import json
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlencode, urlsplit

from flask_babel import gettext as _

from forum.notify.addresses import phone_e164
from forum.notify.links import message_link
from forum.notify.models import Channel

ANSWER_MAX = 1000


@dataclass
class Outcome:
    kind: str  # sent | retry | unknown | dead
    answer: str
    http_status: int | None = None
    # A retry after an unclear answer: the provider may have it already (it drops the repeat).
    maybe_sent: bool = False


def _clip(text: str) -> str:
    return text if len(text) <= ANSWER_MAX else text[:ANSWER_MAX] + "…"


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: str


class NotConnected(Exception):
    """The request never left: the provider cannot have acted on it."""


class NoAnswer(Exception):
    """The request went out, but no complete answer came back."""


def http_post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> HttpAnswer:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise NotConnected(f"not an http(s) URL: {url!r}")
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        try:
            connection.connect()
        except OSError as error:
            raise NotConnected(f"{type(error).__name__}: {error}") from error
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read(64 * 1024)
        except (OSError, http.client.HTTPException) as error:
            raise NoAnswer(f"{type(error).__name__}: {error}") from error
        return HttpAnswer(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            data.decode("utf-8", "replace"),
        )
    finally:
        connection.close()


def _by_status(status: int) -> str:
    if status in (408, 425, 429) or status >= 500:
        return "retry"
    return "dead"


# --- SMS ------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def sms_fields(settings, message) -> list[tuple[str, str]]:
    """The gateway's fields from the body template: one ``name={placeholder}`` per line, with
    {to} (0812345678), {to_e164} (66812345678), {text}, {sender} and {reference} (the
    message's idempotency key)."""
    values = {
        "to": message.address,
        "to_e164": phone_e164(message.address),
        "text": message.text,
        "sender": settings.sms_sender or "",
        "reference": message.idempotency_key,
    }
    fields = []
    for line in (settings.sms_body_template or "").splitlines():
        name, eq, template = line.partition("=")
        if not eq or not name.strip():
            continue
        value = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template.strip())
        fields.append((name.strip(), value))
    return fields


class SmsGateway:
    """A generic HTTP SMS gateway: POST of the template's fields, form-encoded or JSON, with
    HTTP basic authentication when a user name is set. Success is a 2xx answer containing the
    success marker (when one is set)."""

    def idempotent(self, settings) -> bool:
        return bool(settings.sms_dedupes_reference)

    def send(self, message, settings, timeout: float) -> Outcome:
        fields = sms_fields(settings, message)
        headers = {"Accept": "application/json"}
        if settings.sms_encoding == "json":
            body = json.dumps(dict(fields), ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        else:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        if settings.sms_username:
            pair = f"{settings.sms_username}:{settings.sms_password or ''}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        unclear = "retry" if self.idempotent(settings) else "unknown"
        maybe = self.idempotent(settings)
        try:
            answer = http_post(settings.sms_url, body, headers, timeout)
        except NotConnected as error:
            return Outcome("retry", _clip(str(error)))
        except NoAnswer as error:
            return Outcome(unclear, _clip(str(error)), maybe_sent=maybe)
        text = _clip(answer.body)
        if 200 <= answer.status < 300:
            marker = settings.sms_success_marker
            if marker and marker not in answer.body:
                return Outcome(unclear, text, answer.status, maybe_sent=maybe)
            return Outcome("sent", text, answer.status)
        return Outcome(_by_status(answer.status), text, answer.status)


# --- LINE -----------------------------------------------------------------------------------


class LinePush:
    """LINE Messaging API push: ``POST {base}/v2/bot/message/push`` with the channel access
    token, one text message, and the message's key as ``X-Line-Retry-Key``: LINE accepts a key
    once and answers a repeat with 409, so a retry never sends twice."""

    def idempotent(self, settings) -> bool:
        return True

    def send(self, message, settings, timeout: float) -> Outcome:
        url = settings.line_base_url.rstrip("/") + "/v2/bot/message/push"
        body = json.dumps(
            {"to": message.address, "messages": [{"type": "text", "text": message.text}]},
            ensure_ascii=False,
        ).encode()
        headers = {
            "Authorization": f"Bearer {settings.line_token}",
            "Content-Type": "application/json",
            "X-Line-Retry-Key": message.idempotency_key,
        }
        try:
            answer = http_post(url, body, headers, timeout)
        except NotConnected as error:
            return Outcome("retry", _clip(str(error)))
        except NoAnswer as error:
            return Outcome("retry", _clip(str(error)), maybe_sent=True)
        text = _clip(answer.body)
        if answer.status == 409:  # this retry key was accepted before: it was sent
            accepted = answer.headers.get("x-line-accepted-request-id", "")
            return Outcome("sent", _clip(f"already accepted {accepted} {answer.body}"), 409)
        if answer.status == 200:
            try:
                sent = "sentMessages" in json.loads(answer.body)
            except (ValueError, TypeError):
                sent = False
            return Outcome("sent" if sent else "retry", text, 200, maybe_sent=not sent)
        return Outcome(_by_status(answer.status), text, answer.status)


# --- e-mail ---------------------------------------------------------------------------------


def email_for(message, settings) -> EmailMessage:
    link = message_link(message.reference)
    mail = EmailMessage()
    mail["From"] = settings.smtp_from
    mail["To"] = message.address
    mail["Subject"] = message.subject or message.text[:60]
    mail["Message-ID"] = make_msgid(idstring=message.idempotency_key.replace("-", ""))
    # RFC 8058 one-click unsubscribe: mail programs POST to the link.
    mail["List-Unsubscribe"] = f"<{link}/stop>"
    mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(
        "\n\n".join([
            message.text,
            _("Stop these messages (one tap, no log-in): %(link)s", link=link),
        ])  # fmt: skip
    )
    return mail


class EmailSender:
    """SMTP through smtplib. Before the message data is handed over, a failure means it was not
    sent (retry); a 4xx refusal of the data too; after it, a broken connection is unknown."""

    def idempotent(self, settings) -> bool:
        return False

    def send(self, message, settings, timeout: float) -> Outcome:
        return self.deliver(email_for(message, settings), settings, timeout)

    def deliver(self, mail: EmailMessage, settings, timeout: float) -> Outcome:
        """Hand ``mail`` to the SMTP server of ``settings`` (its ``smtp_*`` attributes)."""
        stage = "connect"
        try:
            if settings.smtp_security == "ssl":
                smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                        context=ssl.create_default_context())  # fmt: skip
            else:
                smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
            with smtp:
                if settings.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if settings.smtp_username:
                    smtp.login(settings.smtp_username, settings.smtp_password or "")
                stage = "data"
                smtp.send_message(mail)
                stage = "sent"
        except smtplib.SMTPRecipientsRefused as error:
            return Outcome("dead", _clip(str(error.recipients)))
        except smtplib.SMTPResponseException as error:
            kind = "retry" if 400 <= error.smtp_code < 500 else "dead"
            detail = error.smtp_error.decode("utf-8", "replace") if isinstance(
                error.smtp_error, bytes) else str(error.smtp_error)  # fmt: skip
            return Outcome(kind, _clip(f"{error.smtp_code} {detail}"), error.smtp_code)
        except (TimeoutError, OSError, smtplib.SMTPException) as error:
            if stage == "sent":  # only the goodbye failed
                return Outcome("sent", _clip(f"accepted; then {type(error).__name__}"))
            kind = "unknown" if stage == "data" else "retry"
            return Outcome(kind, _clip(f"{type(error).__name__}: {error}"))
        return Outcome("sent", "250 accepted")


SENDERS = {Channel.EMAIL: EmailSender(), Channel.SMS: SmsGateway(), Channel.LINE: LinePush()}


def sender_for(channel: str):
    return SENDERS[Channel(channel)]
