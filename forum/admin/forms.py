from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.admin.services import KIND_LABELS
from forum.auth.models import ROLE_TITLES
from forum.notify.forms import AddressCheck
from forum.notify.models import Channel

ROLE_CHOICES = [SelectChoice(r.value, title) for r, title in ROLE_TITLES.items()]


class OrganizationForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()])
    name_th = StringField(_l("Name in Thai"), validators=[
        DataRequired(message=_l("Enter the Thai name.")), Length(max=255)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=255)])
    province = StringField(_l("Province"), validators=[
        DataRequired(message=_l("Enter the province.")), Length(max=100)])
    district = StringField(_l("District"), validators=[Optional(), Length(max=100)])
    dla_code = StringField(_l("DLA organization code (รหัส อปท.)"),
                           validators=[Optional(), Length(max=10)])
    slug = StringField(_l("Address name (slug)"), validators=[
        DataRequired(message=_l("Enter the address name, e.g. ban-on.")), Length(max=64)])
    province_catalog_id = SelectField(_l("Province-wide strategy catalog it links up to"),
                                      coerce=int, default=0)
    council_step = SelectField(
        _l("Council step"),
        choices=[
            SelectChoice("", _l("By kind (only an อบต. council considers the plan)")),
            SelectChoice("yes", _l("The council considers the plan")),
            SelectChoice("no", _l("No council step")),
        ],
        default="",
    )  # fmt: skip


def email_field() -> StringField:
    return StringField(_l("E-mail address (optional)"),
                       validators=[Optional(), AddressCheck(Channel.EMAIL)])


class PersonForm(FlaskForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(message=_l("Choose a username.")), Length(max=80)])
    display_name = StringField(_l("Name and position"), validators=[
        DataRequired(message=_l("Enter the person's name.")), Length(max=255)])
    email = email_field()
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    village_id = SelectField(_l("Village (for a village committee)"), coerce=int, default=0)
    starts_on = DateField(_l("Member since"), validators=[Optional()])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    village_id = SelectField(_l("Village (for a village committee)"), coerce=int, default=0)
    starts_on = DateField(_l("Member since"), validators=[Optional()])


class NameForm(FlaskForm):
    display_name = StringField(_l("Name and position"), validators=[
        DataRequired(message=_l("Enter the person's name.")), Length(max=255)])
    email = email_field()


class VillageForm(FlaskForm):
    number = IntegerField(_l("Number"), validators=[
        InputRequired(message=_l("Enter the number.")),
        NumberRange(min=1, max=999, message=_l("The number is a whole number from 1."))])
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Enter the name.")), Length(max=120)])


class ImportListForm(FlaskForm):
    file = FileField(_l("List of organizations (CSV or XLSX)"))
    # After the preview: the list as checked, sent back to be saved.
    table = HiddenField()


class SheetForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
