"""The open-data API returns the catalogs exactly as published."""

import pytest

EXPECTED = {
    # slug: (strategies, goals, kpis, tactics, missions)
    "lampang-province": (5, 0, 0, 16, 3),
    "lampang-pao": (6, 32, 0, 30, 15),
    "ban-on": (5, 0, 0, 16, 0),
    "khelang-nakhon": (7, 25, 36, 39, 0),
}


def test_organizations_listed_with_kind(client):
    orgs = client.get("/api/organizations").get_json()
    assert {o["slug"]: o["kind"] for o in orgs} == {
        "lampang-province": "province_wide",
        "lampang-pao": "pao",
        "ban-on": "sao",
        "khelang-nakhon": "municipality",
    }
    assert all(o["name_th"] and o["name_en"] for o in orgs)


@pytest.mark.parametrize(("slug", "counts"), EXPECTED.items())
def test_catalog_counts_match_the_published_documents(client, slug, counts):
    catalog = client.get(f"/api/organizations/{slug}/catalog").get_json()
    strategies = catalog["strategies"]
    got = (
        len(strategies),
        sum(len(s["goals"]) for s in strategies),
        sum(len(s["kpis"]) for s in strategies),
        sum(len(s["tactics"]) for s in strategies),
        len(catalog["missions"]),
    )
    assert got == counts
    assert [s["number"] for s in strategies] == list(range(1, len(strategies) + 1))


def test_visions_kept_verbatim(client):
    province = client.get("/api/organizations/lampang-province/catalog").get_json()
    assert province["vision"] == "องค์กรปกครองส่วนท้องถิ่นจังหวัดลำปางเป็นองค์กรแห่งความสุข"
    assert province["vision_definition"].startswith("องค์กรแห่งความสุข หมายความว่า")
    khelang = client.get("/api/organizations/khelang-nakhon/catalog").get_json()
    assert "เมืองแห่งคุณภาพ" in khelang["vision"]


def test_typos_kept_as_published(client):
    texts = client.get("/api/organizations/lampang-pao/catalog").get_data(as_text=True)
    texts += client.get("/api/organizations/khelang-nakhon/catalog").get_data(as_text=True)
    texts += client.get("/api/organizations/ban-on/catalog").get_data(as_text=True)
    texts += client.get("/api/organizations/lampang-province/catalog").get_data(as_text=True)
    assert "เข็มแข็ง" in texts or "จิตสำนัก" in texts


def test_ban_on_strategies_link_up_to_the_province_wide_ones(client):
    strategies = client.get("/api/organizations/ban-on/catalog").get_json()["strategies"]
    links = [s["province_strategy"] for s in strategies]
    assert all(link and link["organization"] == "lampang-province" for link in links)
    assert sorted(link["number"] for link in links) == [1, 2, 3, 4, 5]


def test_proposals_api_shape_and_no_personal_data(client):
    rows = client.get("/api/organizations/ban-on/proposals").get_json()
    assert rows
    row = rows[0]
    assert set(row) >= {
        "id", "title", "village", "strategy", "tactic", "annex", "status",
        "budgets", "decisions",
    }
    assert all(r["status"] != "draft" for r in rows)
    assert not any("phone" in key for r in rows for key in r)
    assert set(row["budgets"]) == {"2566", "2567", "2568", "2569", "2570"}


def test_unknown_organization_is_json_404(client):
    response = client.get("/api/organizations/nowhere/catalog")
    assert response.status_code == 404
    assert response.get_json() == {"error": 404}
