"""Administration pages.

``/admin/…``: the system (province) administrator's organizations (create, edit, deactivate, a
list at once) and each organization's first administrator. ``/o/<slug>/admin/…``: the
organization administrator's villages, people and roles, and one-time links. Neither reaches the
other's pages; another organization's village or person is a 404.
"""

import base64
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from forum.admin import bulk
from forum.admin.forms import (
    ImportListForm,
    NameForm,
    OrganizationForm,
    PersonForm,
    RoleForm,
    SheetForm,
    VillageForm,
)
from forum.admin.link_mail import email_link
from forum.admin.services import (
    KIND_LABELS,
    AdminError,
    OrganizationInput,
    create_organization,
    create_person,
    end_role,
    grant_role,
    issue_account_link,
    kind_choice_of,
    people_of,
    person_of,
    restore_village,
    retire_village,
    set_organization_active,
    set_person_active,
    unit_name,
    update_organization,
    update_person,
    update_village,
)
from forum.admin.services import add_village as add_village_service
from forum.admin.sheet import LinkSheet, LinkSheetData, qr_svg
from forum.auth.forms import EmptyForm
from forum.auth.links import LinkError, LinkPurpose, find_link
from forum.auth.models import Membership, Role
from forum.extensions import db
from forum.notify.server_mail import mail_configured
from forum.organizations.access import get_organization
from forum.organizations.models import Organization, OrgKind, Village
from forum.printables.views import send_pdf

bp = Blueprint("admin", __name__)


# --- access


def require_system_admin() -> None:
    if not current_user.is_system_admin:
        abort(403)


def organization_for_admin(slug: str) -> Organization:
    organization = get_organization(slug)
    if not current_user.has_role(organization.id, Role.ADMIN):
        abort(403)
    return organization


def village_or_404(organization: Organization, village_id: int) -> Village:
    village = db.session.get(Village, village_id)
    if village is None or village.organization_id != organization.id:
        abort(404)
    return village


def person_or_404(organization: Organization, user_id: int):
    user = person_of(organization, user_id)
    if user is None:
        abort(404)
    return user


def _refused(form, error: AdminError) -> None:
    """Put the service's refusal next to its field (or on top when it names none)."""
    db.session.rollback()
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


# --- the system administrator: organizations


def _catalog_choices(form: OrganizationForm) -> None:
    catalogs = db.session.scalars(
        select(Organization).where(Organization.kind == OrgKind.PROVINCE_WIDE)
    ).all()
    form.province_catalog_id.choices = [SelectChoice(0, _("— none —"))] + [
        SelectChoice(o.id, o.name_th) for o in catalogs
    ]


def _organization_input(form: OrganizationForm) -> OrganizationInput:
    council = {"yes": True, "no": False}.get(form.council_step.data)
    return OrganizationInput(
        kind=form.kind.data,
        name_th=form.name_th.data or "",
        name_en=form.name_en.data or "",
        province=form.province.data or "",
        district=form.district.data,
        dla_code=(form.dla_code.data or "").strip() or None,
        slug=(form.slug.data or "").strip().lower(),
        province_catalog_id=form.province_catalog_id.data or None,
        council_step=council,
    )


@bp.route("/admin")
@login_required
def organizations():
    require_system_admin()
    rows = db.session.scalars(
        select(Organization)
        .where(Organization.kind != OrgKind.PROVINCE_WIDE)
        .order_by(Organization.province, Organization.name_th)
    ).all()
    return render_template(
        "admin/organizations.html", organizations=rows, kind_labels=KIND_LABELS,
        kind_of=kind_choice_of, form=EmptyForm(),
    )  # fmt: skip


@bp.route("/admin/organizations/new", methods=["GET", "POST"])
@login_required
def new_organization():
    require_system_admin()
    form = OrganizationForm()
    _catalog_choices(form)
    if form.validate_on_submit():
        try:
            organization = create_organization(current_user, _organization_input(form))
        except AdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The organization has been created. Now create its administrator."),
                  "success")  # fmt: skip
            return redirect(url_for(".first_admin", organization_id=organization.id))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/organization_form.html", form=form, organization=None), status


@bp.route("/admin/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organization(organization_id: int):
    require_system_admin()
    organization = db.session.get(Organization, organization_id) or abort(404)
    form = OrganizationForm(obj=organization)
    _catalog_choices(form)
    if request.method == "GET":
        form.kind.data = kind_choice_of(organization)
        form.province_catalog_id.data = organization.province_catalog_id or 0
        form.council_step.data = {True: "yes", False: "no"}.get(organization.council_step, "")
    if form.validate_on_submit():
        try:
            update_organization(current_user, organization, _organization_input(form))
        except AdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The organization has been saved."), "success")
            return redirect(url_for(".organizations"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/organization_form.html", form=form,
                           organization=organization), status  # fmt: skip


@bp.route("/admin/organizations/<int:organization_id>/active", methods=["POST"])
@login_required
def organization_active(organization_id: int):
    require_system_admin()
    organization = db.session.get(Organization, organization_id) or abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    set_organization_active(current_user, organization, active)
    db.session.commit()
    if active:
        flash(_("The organization has been reactivated."), "success")
    else:
        flash(_("The organization has been deactivated; nothing was deleted."), "success")
    return redirect(url_for(".organizations"))


@bp.route("/admin/organizations/<int:organization_id>/first-admin", methods=["GET", "POST"])
@login_required
def first_admin(organization_id: int):
    """The system administrator creates an organization's administrator (an invitation)."""
    require_system_admin()
    organization = db.session.get(Organization, organization_id) or abort(404)
    form = PersonForm(role=Role.ADMIN.value)
    form.village_id.choices = [SelectChoice(0, "—")]
    form.role.choices = [SelectChoice(Role.ADMIN.value, Role.ADMIN.title)]
    if form.validate_on_submit():
        try:
            user, token = create_person(current_user, organization, form.username.data,
                                        form.display_name.data, Role.ADMIN,
                                        email=form.email.data)  # fmt: skip
        except AdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            return show_link(organization, user, token, LinkPurpose.INVITATION)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/first_admin.html", form=form,
                           organization=organization), status  # fmt: skip


@bp.route("/admin/organizations/import", methods=["GET", "POST"])
@login_required
def import_organizations():
    """Upload → preview with every line's problems → save (only a clean list)."""
    require_system_admin()
    form = ImportListForm()
    lines, problem, table_data = None, None, ""
    if form.validate_on_submit():
        try:
            if form.table.data and request.form.get("save"):
                table = _decode_table(form.table.data)
            elif form.file.data:
                upload = form.file.data
                table = bulk.read_table(upload.filename or "", upload.read())
            else:
                raise bulk.ListError(_("Choose a CSV or XLSX file."))
            lines = bulk.check_lines(table)
            table_data = _encode_table(table)
        except bulk.ListError as error:
            problem = str(error)
        else:
            if request.form.get("save") and all(line.ok for line in lines):
                created = bulk.create_from_lines(current_user, lines)
                db.session.commit()
                flash(_("%(count)d organizations were created; %(same)d existed already.",
                        count=len(created), same=sum(line.exists for line in lines)),
                      "success")  # fmt: skip
                return redirect(url_for(".organizations"))
    if problem:
        form.file.errors = [problem]
    status = 422 if problem or (lines and not all(line.ok for line in lines)) else 200
    return render_template("admin/import.html", form=form, lines=lines,
                           table_data=table_data), status  # fmt: skip


def _encode_table(table: list[list[str]]) -> str:
    import json

    return base64.b64encode(json.dumps(table, ensure_ascii=False).encode()).decode()


def _decode_table(value: str) -> list[list[str]]:
    import json

    try:
        table = json.loads(base64.b64decode(value.encode(), validate=True).decode())
    except ValueError as error:
        raise bulk.ListError(_("The list could not be read back. Upload it again.")) from error
    if not (isinstance(table, list) and all(isinstance(r, list) for r in table)):
        raise bulk.ListError(_("The list could not be read back. Upload it again."))
    return [[str(c) for c in row] for row in table]


# --- one-time links


def link_address(token: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("auth.set_password", token=token)
    return url_for("auth.set_password", token=token, _external=True)


def show_link(organization, user, token: str, purpose: LinkPurpose):
    """The link, once: as text, as a QR code, a button for the printed sheet, and one to
    e-mail it when the server has SMTP and the account an address."""
    address = link_address(token)
    response = current_app.make_response(render_template(
        "admin/link.html", organization=organization, person=user, address=address,
        qr=qr_svg(address), sheet_form=SheetForm(token=token), purpose=purpose,
        may_email=bool(user.email) and mail_configured(),
    ))  # fmt: skip
    response.headers["Referrer-Policy"] = "no-referrer"
    response.cache_control.no_store = True
    return response


def issued_link(form: SheetForm):
    """The open link whose token the form carries, if the current user issued it (the token
    proves they have just been shown it); else 400 or 404."""
    if not form.validate_on_submit():
        abort(400)
    try:
        link = find_link(form.token.data)
    except LinkError:
        abort(404)
    if link.created_by_id != current_user.id:
        abort(404)
    return link


def organization_of(user) -> Organization | None:
    """The organization a link for ``user`` was issued in: one the issuing administrator runs
    (the account may belong to several, or have a role that starts later), else the first."""
    for membership in user.memberships:
        if current_user.has_role(membership.organization_id, Role.ADMIN):
            return membership.organization
    organizations = user.organizations()
    return organizations[0] if organizations else None


@bp.route("/admin/link-sheet.pdf", methods=["POST"])
@login_required
def link_sheet():
    """The printed sheet of an open link, for the administrator who issued it."""
    form = SheetForm()
    link = issued_link(form)
    organization = organization_of(link.user)
    data = LinkSheetData(
        organization_name=organization.name_th if organization else _("Prachakhom"),
        display_name=link.user.display_name,
        username=link.user.username,
        address=link_address(form.token.data),
        expires_on=link.expires_at.date(),
        reset=link.purpose == LinkPurpose.RESET,
    )
    return send_pdf(LinkSheet(data).render(), f"{link.user.username}-{link.purpose}.pdf")


@bp.route("/admin/link-email", methods=["POST"])
@login_required
def link_email():
    """E-mail an open link to its account, for the administrator who issued it; then the same
    link page again (the token comes from that page's form and is never stored)."""
    if not mail_configured():
        abort(404)
    form = SheetForm()
    link = issued_link(form)
    organization = organization_of(link.user)
    if not link.user.email:
        abort(404)
    address = link_address(form.token.data)
    name = organization.name_th if organization else _("Prachakhom")
    outcome = email_link(current_user, organization, link, name, address)
    db.session.commit()
    if outcome.kind == "sent":
        flash(_("The link has been sent to %(email)s.", email=link.user.email), "success")
    else:
        flash(_("The e-mail could not be sent (%(answer)s). Give the person the link, the QR "
                "code or the printed sheet instead.", answer=outcome.answer), "error")
    return show_link(organization, link.user, form.token.data, link.purpose_enum)


# --- the organization's administrator


@bp.route("/o/<slug>/admin")
@login_required
def overview(slug: str):
    organization = organization_for_admin(slug)
    return render_template(
        "admin/overview.html", organization=organization, unit=unit_name(organization),
        people=people_of(organization),
    )


@bp.route("/o/<slug>/admin/villages", methods=["GET", "POST"])
@login_required
def villages(slug: str):
    organization = organization_for_admin(slug)
    form = VillageForm()
    if form.validate_on_submit():
        try:
            add_village_service(current_user, organization, form.number.data, form.name.data)
        except AdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("%(unit)s %(number)d has been added.", unit=unit_name(organization),
                    number=form.number.data), "success")  # fmt: skip
            return redirect(url_for(".villages", slug=slug))
    if request.method == "GET":
        used = [v.number for v in organization.villages]
        form.number.data = max(used, default=0) + 1
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/villages.html", organization=organization, form=form,
        unit=unit_name(organization), action_form=EmptyForm(),
    ), status  # fmt: skip


@bp.route("/o/<slug>/admin/villages/<int:village_id>", methods=["GET", "POST"])
@login_required
def edit_village(slug: str, village_id: int):
    organization = organization_for_admin(slug)
    village = village_or_404(organization, village_id)
    form = VillageForm(obj=village)
    if form.validate_on_submit():
        try:
            update_village(current_user, village, form.number.data, form.name.data)
        except AdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The change has been saved."), "success")
            return redirect(url_for(".villages", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/village_form.html", organization=organization, form=form, village=village,
        unit=unit_name(organization),
    ), status  # fmt: skip


@bp.route("/o/<slug>/admin/villages/<int:village_id>/retire", methods=["POST"])
@login_required
def village_retire(slug: str, village_id: int):
    organization = organization_for_admin(slug)
    village = village_or_404(organization, village_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if request.form.get("restore") == "1":
            restore_village(current_user, village)
        else:
            retire_village(current_user, village)
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The change has been saved."), "success")
    return redirect(url_for(".villages", slug=slug))


def _role_form_choices(form, organization) -> None:
    form.village_id.choices = [SelectChoice(0, "—")] + [
        SelectChoice(v.id, v.label) for v in organization.villages
    ]


def _village_of(form, organization):
    if not form.village_id.data:
        return None
    return next((v for v in organization.villages if v.id == form.village_id.data), None)


@bp.route("/o/<slug>/admin/people")
@login_required
def people(slug: str):
    organization = organization_for_admin(slug)
    return render_template("admin/people.html", organization=organization,
                           people=people_of(organization), today=date.today())  # fmt: skip


@bp.route("/o/<slug>/admin/people/new", methods=["GET", "POST"])
@login_required
def new_person(slug: str):
    organization = organization_for_admin(slug)
    form = PersonForm()
    _role_form_choices(form, organization)
    if form.validate_on_submit():
        try:
            user, token = create_person(
                current_user, organization, form.username.data, form.display_name.data,
                Role(form.role.data), _village_of(form, organization), form.starts_on.data,
                form.email.data,
            )  # fmt: skip
        except AdminError as error:
            _refused(form, error)
        else:
            db.session.commit()
            return show_link(organization, user, token, LinkPurpose.INVITATION)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/person_new.html", organization=organization,
                           form=form), status  # fmt: skip


@bp.route("/o/<slug>/admin/people/<int:user_id>", methods=["GET", "POST"])
@login_required
def person(slug: str, user_id: int):
    """A person's name, their roles (add one, end one), active or not, a new link."""
    organization = organization_for_admin(slug)
    user = person_or_404(organization, user_id)
    name_form = NameForm(obj=user, prefix="name")
    role_form = RoleForm(prefix="role")
    _role_form_choices(role_form, organization)
    status = 200
    if request.method == "POST":
        form = name_form if "name-display_name" in request.form else role_form
        if form.validate_on_submit():
            try:
                if form is name_form:
                    update_person(current_user, organization, user, name_form.display_name.data,
                                  name_form.email.data)
                else:
                    village = _village_of(role_form, organization)
                    grant_role(current_user, organization, user, Role(role_form.role.data),
                               village, role_form.starts_on.data)  # fmt: skip
            except AdminError as error:
                _refused(form, error)
            else:
                db.session.commit()
                flash(_("The change has been saved."), "success")
                return redirect(url_for(".person", slug=slug, user_id=user.id))
        status = 422
    memberships = sorted((m for m in user.memberships if m.organization_id == organization.id),
                         key=lambda m: (m.ends_on is not None, m.role, m.id))  # fmt: skip
    return render_template("admin/person.html", organization=organization, person=user,
                           memberships=memberships, name_form=name_form, role_form=role_form,
                           action_form=EmptyForm(), today=date.today()), status  # fmt: skip


@bp.route("/o/<slug>/admin/people/<int:user_id>/roles/<int:membership_id>/end",
          methods=["POST"])  # fmt: skip
@login_required
def end_membership(slug: str, user_id: int, membership_id: int):
    organization = organization_for_admin(slug)
    user = person_or_404(organization, user_id)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.user_id != user.id or (
            membership.organization_id != organization.id):  # fmt: skip
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        end_role(current_user, membership)
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The role has ended today; the history is kept."), "success")
    return redirect(url_for(".person", slug=slug, user_id=user.id))


@bp.route("/o/<slug>/admin/people/<int:user_id>/active", methods=["POST"])
@login_required
def person_active(slug: str, user_id: int):
    organization = organization_for_admin(slug)
    user = person_or_404(organization, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        set_person_active(current_user, organization, user, request.form.get("active") == "1")
    except AdminError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The change has been saved."), "success")
    return redirect(url_for(".person", slug=slug, user_id=user.id))


@bp.route("/o/<slug>/admin/people/<int:user_id>/link", methods=["POST"])
@login_required
def person_link(slug: str, user_id: int):
    """A new invitation (no password yet) or reset link; the old password stops working."""
    organization = organization_for_admin(slug)
    user = person_or_404(organization, user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not user.active:
        flash(_("Reactivate the account first."), "error")
        return redirect(url_for(".person", slug=slug, user_id=user.id))
    purpose = LinkPurpose.RESET if user.has_password else LinkPurpose.INVITATION
    token = issue_account_link(current_user, organization, user, purpose)
    db.session.commit()
    return show_link(organization, user, token, purpose)
