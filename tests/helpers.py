"""Small lookups shared by tests (no setup logic: that lives in fixtures)."""

from sqlalchemy import select

from forum.extensions import db
from forum.organizations.models import Organization


def org(slug: str) -> Organization:
    return db.session.scalar(select(Organization).where(Organization.slug == slug))


def valid_proposal_form(organization, village_number: int = 1, **overrides) -> dict:
    """Form data a user would send for a complete, valid proposal."""
    strategy = organization.strategies[0]
    village = next(v for v in organization.villages if v.number == village_number)
    data = {
        "title": "ก่อสร้างถนนคอนกรีตสายหน้าวัด",
        "village_id": village.id,
        "location": "หน้าวัดบ้านอ้อน",
        "rationale": "ถนนเป็นหลุมบ่อ",
        "objective": "เพื่อให้ประชาชนสัญจรสะดวก",
        "target": "ถนนยาว 200 เมตร",
        "kpi": "ร้อยละ 80 พึงพอใจ",
        "expected_result": "สัญจรสะดวกและปลอดภัย",
        "responsible_unit": "กองช่าง",
        "strategy_id": strategy.id,
        "tactic_id": strategy.tactics[0].id,
        "program_id": 0,
        "annex": "p02",
        "proposer_name": "นางสมศรี ใจดี",
        "proposer_phone": "081-234-5678",
    }
    for year in organization.current_period.years:
        data[f"budget_{year}"] = "0"
    data[f"budget_{organization.current_period.first_year}"] = "250,000"
    data.update(overrides)
    return data


def submitted_id(response) -> int:
    """The proposal id a public submission redirected to (/proposals/<id>/submitted)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-2])


def shown_tracking_code(client, response) -> str:
    """Follow a public submission to its confirmation and read the code it shows (once)."""
    import re

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    match = re.search(r'class="tracking-code"[^>]*>([^<]+)<', page)
    assert match, "the confirmation shows no tracking code"
    return match.group(1).strip()


def also_plan_officer(username: str, slug: str = "ban-on") -> None:
    """Give an account the plan-officer role too (one clerk doing both jobs in a small อบต.)."""
    from forum.auth.models import Membership, Role, User

    user = db.session.scalar(select(User).where(User.username == username))
    user.memberships.append(Membership(organization=org(slug), role=Role.PLAN_OFFICER))
    db.session.commit()
