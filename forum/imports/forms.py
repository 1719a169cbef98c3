from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("The list of proposals (CSV or XLSX)"),
        validators=[
            FileRequired(message=_l("Choose the file to import.")),
            FileAllowed(["csv", "xlsx", "txt"], _l("Upload a .csv or .xlsx file.")),
        ],
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )
