"""Load-or-404 helpers shared by the blueprints."""

from flask import abort
from sqlalchemy import select

from forum.extensions import db
from forum.organizations.models import Organization


def get_organization(slug: str) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.slug == slug))
    if org is None:
        abort(404)
    return org


def require_office(user, organization: Organization) -> None:
    """403 unless the user is a plan officer of the organization."""
    if not (user.is_authenticated and user.is_office(organization.id)):
        abort(403)


def require_settings_keeper(user, organization: Organization) -> None:
    """403 unless the user is an administrator or plan officer of the organization."""
    if not (user.is_authenticated and user.keeps_settings(organization.id)):
        abort(403)
