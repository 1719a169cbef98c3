"""Download names: the real (Thai) name in ``filename*``, and a readable ASCII fallback for
clients that ignore it: the annex's form code rather than a name with its Thai letters dropped."""

import re
from urllib.parse import unquote

import pytest

from forum.jobs.views import ascii_file_name
from tests.helpers import org


def names(response) -> tuple[str, str]:
    header = response.headers["Content-Disposition"]
    fallback = re.search(r'filename="([^"]*)"', header).group(1)
    real = unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))
    return fallback, real


@pytest.mark.parametrize(
    ("form", "fmt", "code", "label"),
    [("p01", "xlsx", "p01", "ผ.01"), ("p02", "pdf", "p02", "ผ.02"), ("p03", "xlsx", "p03", "ผ.03")],
)
def test_plan_annex_download_falls_back_to_the_form_code(client, form, fmt, code, label):
    period = org("ban-on").current_period
    response = client.get(f"/o/ban-on/plan/{form}.{fmt}")
    assert response.status_code == 200
    fallback, real = names(response)
    assert fallback == f"ban-on-{period.first_year}-{period.last_year}-{code}.{fmt}"
    assert real == f"ban-on-{period.first_year}-{period.last_year}-{label}.{fmt}"


def test_frozen_version_download_falls_back_to_the_form_code(client):
    period = org("ban-on").current_period
    fallback, real = names(client.get("/o/ban-on/plan/versions/1/p02.pdf"))
    assert fallback == f"ban-on-{period.first_year}-{period.last_year}-v1-p02.pdf"
    assert "ผ.02" in real


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("x-แบบ ผ.02/1.pdf", "x-p02-1.pdf"),
        ("x-แบบ ผ.02-2-draft.xlsx", "x-p02-2-draft.xlsx"),
        ("x-2566-2570-ผ.02-2570.pdf", "x-2566-2570-p02-2570.pdf"),
        ("x-v2-amendment-ผ.03.pdf", "x-v2-amendment-p03.pdf"),
        ("รายงานผล 2567.csv", "2567.csv"),
        ("ประชาคม.pdf", "download.pdf"),
        ('a"b.csv', "ab.csv"),
    ],
)
def test_ascii_fallback_names(name, fallback):
    assert ascii_file_name(name).replace('"', "") == fallback
