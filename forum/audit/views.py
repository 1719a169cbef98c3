"""The organization admin's view of failed log-ins and permission denials."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from forum.audit.models import AccessDenial, AdminChange, LoginEvent, LoginOutcome
from forum.auth.models import Membership, Role
from forum.extensions import db
from forum.organizations.access import get_organization

bp = Blueprint("audit", __name__)

SHOWN = 200


def member_ids(organization_id: int):
    return select(Membership.user_id).where(Membership.organization_id == organization_id)


def failed_logins(organization_id: int) -> list[LoginEvent]:
    """Failed and throttled attempts on the organization's own accounts, newest first.

    Attempts on usernames that name nobody are not shown to any one organization: what people
    type there (sometimes a password) belongs to no organization's admin."""
    return db.session.scalars(
        select(LoginEvent)
        .where(
            LoginEvent.outcome != LoginOutcome.SUCCESS,
            LoginEvent.user_id.in_(member_ids(organization_id)),
        )
        .options(selectinload(LoginEvent.user))
        .order_by(LoginEvent.id.desc())
        .limit(SHOWN)
    ).all()


def denials(organization_id: int) -> list[AccessDenial]:
    """403 answers about the organization, or to its own members, newest first."""
    return db.session.scalars(
        select(AccessDenial)
        .where(
            or_(
                AccessDenial.organization_id == organization_id,
                AccessDenial.user_id.in_(member_ids(organization_id)),
            )
        )
        .options(selectinload(AccessDenial.user))
        .order_by(AccessDenial.id.desc())
        .limit(SHOWN)
    ).all()


def admin_changes(organization_id: int) -> list[AdminChange]:
    """Administrative changes in the organization (accounts, roles, villages, settings)."""
    return db.session.scalars(
        select(AdminChange)
        .where(AdminChange.organization_id == organization_id)
        .options(selectinload(AdminChange.actor))
        .order_by(AdminChange.id.desc())
        .limit(SHOWN)
    ).all()


@bp.route("/o/<slug>/audit")
@login_required
def index(slug: str):
    organization = get_organization(slug)
    if not current_user.has_role(organization.id, Role.ADMIN):
        abort(403)
    return render_template(
        "audit/index.html",
        organization=organization,
        failed_logins=failed_logins(organization.id),
        denials=denials(organization.id),
        changes=admin_changes(organization.id),
        shown=SHOWN,
    )
