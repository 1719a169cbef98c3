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
