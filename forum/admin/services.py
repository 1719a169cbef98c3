"""Administration: organizations, their villages, people and roles, one-time account links.

Every function here checks its rule, changes the objects, writes one ``AdminChange`` (who, when,
what, the fields before and after) and flushes; the request (or the CLI command) commits once.
A refused change raises ``AdminError`` naming the form field it is about; nothing is changed.
"""

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum.audit.models import AdminChange
from forum.auth.links import LinkPurpose, issue_link
from forum.auth.models import Membership, Role, User, utcnow
from forum.auth.passwords import password_problem
from forum.extensions import db
from forum.organizations.models import (
    MunicipalityClass,
    Organization,
    OrgKind,
    PlanPeriod,
    Village,
)

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
DLA_CODE_PATTERN = re.compile(r"^\d{7}$")

# The five kinds an administrator chooses from: (kind, municipality class).
KIND_CHOICES = {
    "pao": (OrgKind.PAO, None),
    "city": (OrgKind.MUNICIPALITY, MunicipalityClass.CITY),
    "town": (OrgKind.MUNICIPALITY, MunicipalityClass.TOWN),
    "subdistrict_municipality": (OrgKind.MUNICIPALITY, MunicipalityClass.SUBDISTRICT),
    "sao": (OrgKind.SAO, None),
}
KIND_LABELS = {
    "pao": "อบจ.",
    "city": "เทศบาลนคร",
    "town": "เทศบาลเมือง",
    "subdistrict_municipality": "เทศบาลตำบล",
    "sao": "อบต.",
}


class AdminError(Exception):
    """A refused administrative change; ``field`` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def record_change(actor, organization, action: str, subject: str, before=None, after=None):
    """Append one administrative change to the audit trail (only the fields that changed)."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    db.session.add(
        AdminChange(
            actor_id=actor.id if actor is not None else None,
            organization_id=organization.id if organization is not None else None,
            action=action,
            subject=subject[:255],
            before=before,
            after=after,
        )
    )


def kind_choice_of(organization: Organization) -> str:
    for key, (kind, mclass) in KIND_CHOICES.items():
        if organization.kind == kind and organization.municipality_class == mclass:
            return key
    return "sao" if organization.kind == OrgKind.SAO else organization.kind


# --- accounts


def check_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise AdminError(
            _("Use 3 to 80 lower-case letters, digits, dots, dashes or underscores."), "username"
        )
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise AdminError(_("This username is already taken."), "username")
    return username


def create_account(username: str, display_name: str, actor=None, organization=None,
                   password: str | None = None, system_admin: bool = False,
                   email: str | None = None) -> User:  # fmt: skip
    """A new account; without a password it can only be entered through a one-time link."""
    username = check_username(username)
    display_name = (display_name or "").strip()
    if not display_name:
        raise AdminError(_("Enter the person's name."), "display_name")
    user = User(username=username, display_name=display_name[:255],
                is_system_admin=system_admin, email=email or None)  # fmt: skip
    if password is None:
        user.clear_password()
    else:
        problem = password_problem(password, username)
        if problem:
            raise AdminError(problem, "password")
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    created = {"username": username, "display_name": user.display_name,
               "system_admin": system_admin}
    if user.email:
        created["email"] = user.email
    record_change(actor or user, organization, "account_created", f"user:{username}", None,
                  created)
    return user


def create_system_admin(username: str, password: str | None = None) -> User:
    """The first account of an empty server (``flask create-admin``), or another one."""
    return create_account(username, username, password=password, system_admin=True)


def issue_account_link(actor, organization, user: User, purpose: LinkPurpose) -> str:
    token = issue_link(user, purpose, actor)
    record_change(actor, organization, f"link_{purpose}", f"user:{user.username}")
    return token


# --- organizations


@dataclass
class OrganizationInput:
    kind: str  # a key of KIND_CHOICES
    name_th: str
    name_en: str
    province: str
    district: str | None
    dla_code: str | None
    slug: str
    province_catalog_id: int | None = None
    council_step: bool | None = None


ORGANIZATION_FIELDS = (
    "slug", "kind", "municipality_class", "name_th", "name_en", "province", "district",
    "dla_code", "province_catalog_id", "council_step", "active",
)  # fmt: skip


def snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


def _check_organization(data: OrganizationInput, current: Organization | None) -> None:
    if data.kind not in KIND_CHOICES:
        raise AdminError(_("Choose the kind of organization."), "kind")
    if not data.name_th.strip():
        raise AdminError(_("Enter the Thai name."), "name_th")
    if not SLUG_PATTERN.match(data.slug or ""):
        raise AdminError(
            _("Use lower-case Latin letters, digits and dashes, e.g. ban-on."), "slug"
        )
    if data.dla_code and not DLA_CODE_PATTERN.match(data.dla_code):
        raise AdminError(_("The DLA code has 7 digits."), "dla_code")
    others = select(Organization.id)
    if current is not None:
        others = others.where(Organization.id != current.id)
    if db.session.scalar(others.where(Organization.slug == data.slug)):
        raise AdminError(_("Another organization uses this slug."), "slug")
    if data.dla_code and db.session.scalar(others.where(Organization.dla_code == data.dla_code)):
        raise AdminError(_("Another organization has this DLA code."), "dla_code")
    if data.province_catalog_id is not None:
        target = db.session.get(Organization, data.province_catalog_id)
        if target is None or target.kind != OrgKind.PROVINCE_WIDE:
            raise AdminError(_("Choose a province-wide catalog."), "province_catalog_id")


def _apply_organization(org: Organization, data: OrganizationInput) -> None:
    kind, mclass = KIND_CHOICES[data.kind]
    org.kind = kind
    org.municipality_class = mclass
    org.name_th = data.name_th.strip()
    org.name_en = (data.name_en or "").strip() or data.name_th.strip()
    org.province = data.province.strip()
    org.district = (data.district or "").strip() or None
    org.dla_code = data.dla_code or None
    org.slug = data.slug
    org.province_catalog_id = data.province_catalog_id
    org.council_step = data.council_step


PERIOD_ANCHOR = 2566  # five-year plans run 2566–2570, 2571–2575, …


def current_fiscal_year(today: date | None = None) -> int:
    """Buddhist-era fiscal year: it starts on 1 October."""
    today = today or date.today()
    return today.year + 543 + (1 if today.month >= 10 else 0)


def ensure_period_for(org: Organization, today: date | None = None) -> None:
    """A new organization gets the five-year plan period of the current fiscal year."""
    if org.plan_periods or not org.accepts_proposals:
        return
    year = current_fiscal_year(today)
    first = year - (year - PERIOD_ANCHOR) % 5
    org.plan_periods.append(PlanPeriod(first_year=first, last_year=first + 4))


def create_organization(actor: User, data: OrganizationInput) -> Organization:
    _check_organization(data, None)
    org = Organization(active=True)
    _apply_organization(org, data)
    db.session.add(org)
    db.session.flush()
    ensure_period_for(org)
    record_change(actor, org, "organization_created", f"organization:{org.slug}", None,
                  _jsonable(snapshot(org, ORGANIZATION_FIELDS)))  # fmt: skip
    return org


def update_organization(actor: User, org: Organization, data: OrganizationInput) -> None:
    _check_organization(data, org)
    before = snapshot(org, ORGANIZATION_FIELDS)
    _apply_organization(org, data)
    db.session.flush()
    record_change(actor, org, "organization_updated", f"organization:{org.slug}",
                  _jsonable(before), _jsonable(snapshot(org, ORGANIZATION_FIELDS)))  # fmt: skip


def set_organization_active(actor: User, org: Organization, active: bool) -> None:
    if org.active == active:
        return
    org.active = active
    db.session.flush()
    action = "organization_activated" if active else "organization_deactivated"
    record_change(actor, org, action, f"organization:{org.slug}", {"active": not active},
                  {"active": active})  # fmt: skip


def _jsonable(values: dict) -> dict:
    return {k: (str(v) if v is not None and not isinstance(v, int | bool | str) else v)
            for k, v in values.items()}  # fmt: skip


# --- villages


def unit_name(org: Organization) -> str:
    """What the organization's units are called: หมู่บ้าน, or ชุมชน in a municipality."""
    return _("Community") if org.is_municipality else _("Village")


def _number_in_use(org: Organization, number: int, village: Village | None) -> bool:
    query = select(Village.id).where(
        Village.organization_id == org.id, Village.number == number, Village.retired_at.is_(None)
    )
    if village is not None:
        query = query.where(Village.id != village.id)
    return db.session.scalar(query) is not None


def _check_village(org, number: int, name: str, village=None) -> str:
    name = (name or "").strip()
    if not name:
        raise AdminError(_("Enter the name."), "name")
    if number is None or number < 1:
        raise AdminError(_("The number is a whole number from 1."), "number")
    if _number_in_use(org, number, village):
        raise AdminError(_("Number %(number)d is already in use.", number=number), "number")
    return name


def add_village(actor: User, org: Organization, number: int, name: str) -> Village:
    name = _check_village(org, number, name)
    village = Village(organization=org, number=number, name=name)
    db.session.add(village)
    db.session.flush()
    record_change(actor, org, "village_added", f"village:{village.id}", None,
                  {"number": number, "name": name})  # fmt: skip
    return village


def update_village(actor: User, village: Village, number: int, name: str) -> None:
    """Rename and/or renumber; the number must be free among the villages in use."""
    org = village.organization
    name = _check_village(org, number, name, village)
    before = {"number": village.number, "name": village.name}
    village.number, village.name = number, name
    db.session.flush()
    record_change(actor, org, "village_updated", f"village:{village.id}", before,
                  {"number": number, "name": name})  # fmt: skip


def retire_village(actor: User, village: Village) -> None:
    """The village leaves the lists and forms; its proposals and history stay."""
    if village.retired_at is not None:
        return
    village.retired_at = utcnow()
    db.session.flush()
    record_change(actor, village.organization, "village_retired", f"village:{village.id}",
                  {"retired": False}, {"retired": True})  # fmt: skip


def restore_village(actor: User, village: Village) -> None:
    if village.retired_at is None:
        return
    if _number_in_use(village.organization, village.number, village):
        raise AdminError(
            _("Number %(number)d is already in use. Renumber the village first.",
              number=village.number), "number")  # fmt: skip
    village.retired_at = None
    db.session.flush()
    record_change(actor, village.organization, "village_restored", f"village:{village.id}",
                  {"retired": True}, {"retired": False})  # fmt: skip


# --- people and roles


def active_admins(org: Organization, on: date | None = None) -> list[User]:
    on = on or date.today()
    return db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == org.id,
            Membership.role == Role.ADMIN,
            Membership.held_on_clause(on),
            User.active.is_(True),
        )
        .distinct()
    ).all()


def _keeps_an_admin(actor: User, org: Organization, leaving: User) -> None:
    """The last active administrator cannot remove or demote themself."""
    admins = active_admins(org)
    if leaving.id == actor.id and [a.id for a in admins] == [leaving.id]:
        raise AdminError(
            _("You are the organization's last active administrator. Make someone else "
              "administrator first."), "role")  # fmt: skip


def membership_subject(m: Membership) -> str:
    village = f" village:{m.village_id}" if m.village_id else ""
    return f"user:{m.user.username} role:{m.role}{village}"


def grant_role(actor: User, org: Organization, user: User, role: Role,
               village: Village | None = None,
               starts_on: date | None = None) -> Membership:  # fmt: skip
    if role == Role.VILLAGE_COMMITTEE:
        if village is None or village.organization_id != org.id or village.retired:
            raise AdminError(_("Choose the village of this committee."), "village_id")
    else:
        village = None
    today = date.today()
    for m in user.memberships:
        if (m.organization_id == org.id and m.role == role and m.village_id == (
                village.id if village else None) and m.held_on(starts_on or today)):
            raise AdminError(_("This person already holds this role."), "role")  # fmt: skip
    membership = Membership(user=user, organization=org, role=role, village=village,
                            starts_on=starts_on or today)  # fmt: skip
    db.session.add(membership)
    db.session.flush()
    record_change(actor, org, "role_granted", membership_subject(membership), None,
                  {"starts_on": str(membership.starts_on)})  # fmt: skip
    return membership


def end_role(actor: User, membership: Membership, on: date | None = None) -> None:
    """The role ends ``on`` (default today); the row stays, so past meetings keep their members."""
    on = on or date.today()
    org = membership.organization
    if membership.role == Role.ADMIN:
        _keeps_an_admin(actor, org, membership.user)
    if membership.starts_on is not None and on < membership.starts_on:
        on = membership.starts_on
    before = {"ends_on": str(membership.ends_on) if membership.ends_on else None}
    membership.ends_on = on
    db.session.flush()
    record_change(actor, org, "role_ended", membership_subject(membership), before,
                  {"ends_on": str(on)})  # fmt: skip


def set_person_active(actor: User, org: Organization, user: User, active: bool) -> None:
    """Deactivated people cannot log in; nothing they did is removed. Reactivate at will."""
    if user.active == active:
        return
    if not active:
        if user.has_role(org.id, Role.ADMIN):
            _keeps_an_admin(actor, org, user)
        user.session_version = (user.session_version or 0) + 1  # their sessions end
    user.active = active
    db.session.flush()
    record_change(actor, org, "person_activated" if active else "person_deactivated",
                  f"user:{user.username}", {"active": not active}, {"active": active})  # fmt: skip


def update_person(actor: User, org: Organization, user: User, display_name: str,
                  email: str | None = None) -> None:  # fmt: skip
    """The name and the (optional, already checked) e-mail address."""
    display_name = (display_name or "").strip()
    if not display_name:
        raise AdminError(_("Enter the person's name."), "display_name")
    before = {"display_name": user.display_name, "email": user.email}
    user.display_name = display_name[:255]
    user.email = email or None
    db.session.flush()
    record_change(actor, org, "person_updated", f"user:{user.username}", before,
                  {"display_name": user.display_name, "email": user.email})  # fmt: skip


def people_of(org: Organization) -> list[User]:
    """Everyone who ever held a role in the organization."""
    return db.session.scalars(
        select(User)
        .where(User.id.in_(select(Membership.user_id).where(Membership.organization_id == org.id)))
        .order_by(User.active.desc(), User.display_name, User.id)
    ).all()


def person_of(org: Organization, user_id: int) -> User | None:
    """The account, if it ever held a role in ``org`` (else None: another organization's)."""
    user = db.session.get(User, user_id)
    if user is None or not any(m.organization_id == org.id for m in user.memberships):
        return None
    return user


def create_person(actor: User, org: Organization, username: str, display_name: str,
                  role: Role, village: Village | None = None,
                  starts_on: date | None = None,
                  email: str | None = None) -> tuple[User, str]:  # fmt: skip
    """A new account with one role in ``org`` and its invitation link (the token)."""
    user = create_account(username, display_name, actor=actor, organization=org, email=email)
    grant_role(actor, org, user, role, village, starts_on)
    token = issue_account_link(actor, org, user, LinkPurpose.INVITATION)
    return user, token
