"""How an organization is named on its pages."""

import pytest

from forum.extensions import db
from tests.helpers import org


@pytest.mark.parametrize("stored", ["อำเภองาว", "งาว"])
def test_the_district_is_written_once(client, stored):
    ban_on = org("ban-on")
    ban_on.district = stored
    db.session.commit()
    for path in ("/", "/o/ban-on"):
        page = client.get(path).get_data(as_text=True)
        assert "อำเภองาว" in page
        assert "อำเภอ อำเภองาว" not in page and "อำเภออำเภองาว" not in page


def test_every_page_names_its_icon_and_the_browser_default_finds_it(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon" type="image/svg+xml" href="/static/favicon.svg?v=' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()
