import functools

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import bindparam, func, select

from forum.extensions import db
from forum.i18n import current_language
from forum.organizations import cache
from forum.organizations.access import get_organization, require_settings_keeper
from forum.organizations.forms import PlanPeriodForm
from forum.organizations.models import Organization, PlanPeriod, Village
from forum.proposals.models import Proposal, publicly_listed
from forum.proposals.states import Status

bp = Blueprint("organizations", __name__)


@bp.route("/")
def index():
    organizations = db.session.scalars(select(Organization).order_by(Organization.id)).all()
    return render_template("organizations/index.html", organizations=organizations)


@functools.cache
def page_stamp_statement():
    org_id = bindparam("organization_id")
    return cache.stamp_statement(
        select(cache.aggregated(Village.id, Village.number, Village.name)).where(
            Village.organization_id == org_id
        ),
        select(
            cache.aggregated(PlanPeriod.id, PlanPeriod.first_year, PlanPeriod.last_year)
        ).where(PlanPeriod.organization_id == org_id),
    )


def page_stamp(organization: Organization, status_counts: dict) -> str:
    """Digest of what the organization page shows: the organization row, its villages and
    plan periods (from the database in one statement) and the status counts."""
    row = [getattr(organization, a.key) for a in Organization.__mapper__.column_attrs]
    return cache.stamp(
        page_stamp_statement(),
        {"organization_id": organization.id},
        also=[row, sorted(status_counts.items())],
    )


def viewer_kind(organization: Organization) -> tuple[bool, bool, bool, bool]:
    """What the cached part may show differently: logged in, office, village committee,
    keeper of the settings (administrator or office)."""
    if not current_user.is_authenticated:
        return (False, False, False, False)
    return (
        True,
        current_user.is_office(organization.id),
        bool(current_user.committee_villages(organization.id)),
        current_user.keeps_settings(organization.id),
    )


def render_block(template_name: str, block: str, **context) -> Markup:
    """One block of a template, rendered with the same globals as render_template."""
    template = current_app.jinja_env.get_template(template_name)
    current_app.update_template_context(context)
    # The block's output comes from an autoescaping template: already safe HTML.
    return Markup("".join(template.blocks[block](template.new_context(context))))  # nosec B704


@bp.route("/o/<slug>")
def show(slug: str):
    organization = get_organization(slug)
    counts = dict(
        db.session.execute(
            select(Proposal.status, func.count())
            .where(Proposal.organization_id == organization.id, publicly_listed())
            .group_by(Proposal.status)
        ).all()
    )
    key = ":".join(
        [
            "organization-page",
            request.script_root,  # the links in the page
            str(organization.id),
            current_language(),
            repr(viewer_kind(organization)),
            page_stamp(organization, counts),
        ]
    )
    # The page around the cached part carries this session's CSRF token and flash messages:
    # the ETag is per session, and no 304 while a message waits to be shown.
    etag = cache.digest(key, session.get("csrf_token"), current_user.get_id())
    if cache.not_modified(etag) and not session.get("_flashes"):
        response = current_app.response_class(status=304)
    else:
        content = cache.pages.get_or_make(
            key,
            lambda: render_block(
                "organizations/show.html",
                "content",
                organization=organization,
                status_counts={Status(k): v for k, v in counts.items()},
            ),
        )
        response = make_response(
            render_template(
                "organizations/show.html", organization=organization, cached_content=content
            )
        )
        etag = cache.digest(key, session.get("csrf_token"), current_user.get_id())
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.no_cache = True
    response.vary.add("Cookie")
    return response


@bp.route("/o/<slug>/periods", methods=["GET", "POST"])
@login_required
def periods(slug: str):
    """Plan periods of five Buddhist-era fiscal years; the latest one is the current plan."""
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    form = PlanPeriodForm()
    if form.validate_on_submit():
        first = form.first_year.data
        if any(p.first_year <= first <= p.last_year for p in organization.plan_periods):
            form.first_year.errors.append(_("This year is already part of a plan period."))
        else:
            organization.plan_periods.append(
                PlanPeriod(first_year=first, last_year=first + 4, layout=form.layout.data)
            )
            db.session.commit()
            flash(_("The plan period has been added."), "success")
            return redirect(url_for(".periods", slug=slug))
    return render_template("organizations/periods.html", organization=organization, form=form)
