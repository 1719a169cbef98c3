"""The organization admin's view of failed log-ins and permission denials: paged, filtered by
account and date, and exported as CSV."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.audit.forms import LogFilterForm
from forum.audit.models import AccessDenial, AdminChange, LoginEvent, LoginOutcome
from forum.auth.models import Membership, Role, User
from forum.exports.writers import MIMETYPES, Sheet, to_csv
from forum.extensions import db
from forum.i18n import to_local
from forum.jobs.views import content_disposition
from forum.organizations.access import get_organization

bp = Blueprint("audit", __name__)

PER_PAGE = 50
SHOWN = 200  # administrative changes listed, newest first


def member_ids(organization_id: int):
    return select(Membership.user_id).where(Membership.organization_id == organization_id)


def members(organization_id: int) -> list[User]:
    return db.session.scalars(
        select(User).where(User.id.in_(member_ids(organization_id))).order_by(User.username)
    ).all()


@dataclass(frozen=True)
class LogFilter:
    """Which entries to show: one account (None: all) and local dates, both ends included."""

    user_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def utc_bounds(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC as stored (naive), from local midnight to local midnight."""
        tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])

        def utc(day: date) -> datetime:
            local = datetime.combine(day, time.min, tzinfo=tz)
            return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

        start = utc(self.date_from) if self.date_from else None
        end = utc(self.date_to + timedelta(days=1)) if self.date_to else None
        return start, end

    def apply(self, query, model):
        if self.user_id:
            query = query.where(model.user_id == self.user_id)
        start, end = self.utc_bounds()
        if start is not None:
            query = query.where(model.created_at >= start)
        if end is not None:
            query = query.where(model.created_at < end)
        return query


def failed_logins(organization_id: int, log_filter: LogFilter = LogFilter()):
    """Failed and throttled attempts on the organization's own accounts, newest first.

    Attempts on usernames that name nobody are not shown to any one organization: what people
    type there (sometimes a password) belongs to no organization's admin."""
    query = select(LoginEvent).where(
        LoginEvent.outcome != LoginOutcome.SUCCESS,
        LoginEvent.user_id.in_(member_ids(organization_id)),
    )
    return log_filter.apply(query, LoginEvent).order_by(LoginEvent.id.desc())


def denials(organization_id: int, log_filter: LogFilter = LogFilter()):
    """403 answers about the organization, or to its own members, newest first."""
    query = select(AccessDenial).where(
        or_(
            AccessDenial.organization_id == organization_id,
            AccessDenial.user_id.in_(member_ids(organization_id)),
        )
    )
    return log_filter.apply(query, AccessDenial).order_by(AccessDenial.id.desc())


@dataclass
class Page:
    rows: list
    number: int
    pages: int
    total: int


def page_of(query, model, number: int) -> Page:
    total = db.session.scalar(query.with_only_columns(func.count(model.id)).order_by(None))
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)
    number = min(max(number, 1), pages)
    rows = db.session.scalars(
        query.options(selectinload(model.user)).limit(PER_PAGE).offset((number - 1) * PER_PAGE)
    ).all()
    return Page(rows, number, pages, total)


def admin_organization(slug: str):
    organization = get_organization(slug)
    if not current_user.has_role(organization.id, Role.ADMIN):
        abort(403)
    return organization


def read_filter(organization) -> tuple[LogFilterForm, LogFilter]:
    form = LogFilterForm(members(organization.id), formdata=request.args)
    if not request.args or not form.validate():
        return form, LogFilter()
    return form, LogFilter(form.account.data or None, form.date_from.data, form.date_to.data)


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
    organization = admin_organization(slug)
    form, log_filter = read_filter(organization)
    args = {k: v for k, v in request.args.items() if k in ("account", "date_from", "date_to")}

    def page_url(list_name: str, number: int) -> str:
        pages = {k: v for k, v in request.args.items() if k.endswith("_page")}
        return url_for(".index", slug=slug, **(args | pages | {f"{list_name}_page": number}))

    return render_template(
        "audit/index.html",
        organization=organization,
        form=form,
        changes=admin_changes(organization.id),
        shown=SHOWN,
        failed_logins=page_of(
            failed_logins(organization.id, log_filter),
            LoginEvent,
            request.args.get("logins_page", 1, type=int),
        ),
        denials=page_of(
            denials(organization.id, log_filter),
            AccessDenial,
            request.args.get("denials_page", 1, type=int),
        ),
        page_url=page_url,
        csv_url=lambda what: url_for(".export", slug=slug, what=what, **args),
    )


def local_time(value: datetime) -> str:
    return f"{to_local(value):%Y-%m-%d %H:%M:%S}"


def logins_sheet(rows) -> Sheet:
    sheet = Sheet(_("Failed log-ins"), [_("Time"), _("Account"), _("Name"), _("Address"),
                                        _("Outcome")])  # fmt: skip
    for event in rows:
        name = event.user.display_name if event.user else ""
        sheet.rows.append([local_time(event.created_at), event.username, name,
                           event.address, event.outcome_enum.title])  # fmt: skip
    return sheet


def denials_sheet(rows) -> Sheet:
    sheet = Sheet(_("Permission denials"), [_("Time"), _("Account"), _("Name"), _("Method"),
                                            _("Page"), _("Address")])  # fmt: skip
    for denial in rows:
        user = denial.user
        sheet.rows.append([local_time(denial.created_at), user.username if user else "",
                           user.display_name if user else _("Not logged in"), denial.method,
                           denial.path, denial.address])  # fmt: skip
    return sheet


@bp.route("/o/<slug>/audit/<any(logins, denials):what>.csv")
@login_required
def export(slug: str, what: str):
    """Every entry the filter selects (not only one page), newest first."""
    organization = admin_organization(slug)
    form, log_filter = read_filter(organization)
    if form.errors:
        abort(400)
    if what == "logins":
        query, model, build = failed_logins(organization.id, log_filter), LoginEvent, logins_sheet
    else:
        query, model, build = denials(organization.id, log_filter), AccessDenial, denials_sheet
    rows = db.session.scalars(query.options(selectinload(model.user))).all()
    name = f"{organization.slug}-security-log-{what}.csv"
    return Response(
        to_csv(build(rows)),
        mimetype=MIMETYPES["csv"],
        headers={"Content-Disposition": content_disposition(name)},
    )
