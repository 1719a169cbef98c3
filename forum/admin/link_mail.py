"""A one-time account link sent by e-mail (the server's SMTP), in Thai like the printed sheet.

The token is only known while the issuing administrator's page holds it: the e-mail is sent
from that page's POST, and only the fact of sending (which kind of link, to which account and
address) is recorded, never the token."""

from flask_babel import force_locale
from flask_babel import gettext as _

from forum.admin.services import record_change
from forum.auth.links import AccountLink, LinkPurpose
from forum.i18n import format_date
from forum.notify.channels import Outcome
from forum.notify.server_mail import send_server_mail


def link_mail_text(link: AccountLink, organization_name: str, address: str) -> tuple[str, str]:
    """(subject, body) of the e-mail, in Thai."""
    user = link.user
    reset = link.purpose == LinkPurpose.RESET
    with force_locale("th"):
        title = _("Set a new password for Prachakhom") if reset else _("Welcome to Prachakhom")
        lines = [
            title,
            organization_name,
            "",
            _("For: %(name)s", name=user.display_name),
            _("Username: %(username)s", username=user.username),
            "",
            _("1. Open this link in a web browser:"),
            address,
            _("2. Choose your password: at least 10 characters, not a common one, and type "
              "it twice."),
            _("3. Log in with the username above and your new password."),
            "",
            _("The link works once, until %(date)s. Do not forward this e-mail: whoever has "
              "the link can set the password. If the link has expired, ask the administrator "
              "for a new one.", date=format_date(link.expires_at.date(), "th")),
        ]  # fmt: skip
        return f"{title} ({user.username})", "\n".join(lines)


def email_link(actor, organization, link: AccountLink, organization_name: str,
               address: str) -> Outcome:  # fmt: skip
    """Send the link to the account's e-mail address and record that it was sent."""
    subject, body = link_mail_text(link, organization_name, address)
    outcome = send_server_mail(link.user.email, subject, body)
    record_change(actor, organization, f"link_{link.purpose}_emailed",
                  f"user:{link.user.username}", None,
                  {"to": link.user.email, "sent": outcome.kind == "sent"})  # fmt: skip
    return outcome
