"""The server's own SMTP settings (``MAIL_*``), for mail that belongs to no organization's
notification settings: one-time account links. Sent with the notification channels' SMTP
sender (:class:`forum.notify.channels.EmailSender`), at once, not through the outbox."""

from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

from forum.notify.channels import EmailSender, Outcome


@dataclass(frozen=True)
class ServerSmtp:
    """The ``smtp_*`` attributes EmailSender reads from an organization's NotifySettings."""

    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_username: str | None
    smtp_password: str | None
    smtp_from: str


def server_smtp() -> ServerSmtp | None:
    """The configured server SMTP, or None when MAIL_SERVER or MAIL_FROM is not set."""
    config = current_app.config
    if not (config.get("MAIL_SERVER") and config.get("MAIL_FROM")):
        return None
    return ServerSmtp(
        smtp_host=config["MAIL_SERVER"],
        smtp_port=int(config.get("MAIL_PORT") or 587),
        smtp_security=config.get("MAIL_SECURITY") or "starttls",
        smtp_username=config.get("MAIL_USERNAME"),
        smtp_password=config.get("MAIL_PASSWORD"),
        smtp_from=config["MAIL_FROM"],
    )


def mail_configured() -> bool:
    return server_smtp() is not None


def send_server_mail(to: str, subject: str, body: str) -> Outcome:
    """One plain-text message through the server's SMTP (which must be configured)."""
    smtp = server_smtp()
    if smtp is None:
        raise RuntimeError("MAIL_SERVER and MAIL_FROM are not configured")
    mail = EmailMessage()
    mail["From"] = smtp.smtp_from
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    timeout = float(current_app.config.get("MAIL_TIMEOUT_SECONDS") or 10)
    return EmailSender().deliver(mail, smtp, timeout)
