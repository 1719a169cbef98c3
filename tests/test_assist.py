"""Help at the point of entry (issue 16): tactic suggestion, duplicates across villages, the
no-JS suggest round trip, a village supporting an existing proposal, the screening panel, and
every village that asked for a merged proposal. HTTP first; the pure rankings underneath."""

import pytest
from sqlalchemy import event, func, select

from forum.assist import duplicates
from forum.assist.models import ProposalSupport
from forum.assist.ranking import Bm25
from forum.assist.tactics import name_terms
from forum.assist.text import read
from forum.catalog.models import Program
from forum.extensions import db
from forum.proposals.models import Proposal
from tests.helpers import org, valid_proposal_form
from tests.test_workflow import (
    act,
    as_user,
    propose,
    propose_with_code,
    status_of,
    village_stage,
)

WEIR = "ก่อสร้างฝายชะลอน้ำลำน้ำแม่ต๋ำ"


def assist(client, slug="ban-on", **params):
    response = client.get(f"/o/{slug}/assist", query_string=params)
    assert response.status_code == 200
    return response.get_json()


def tactic_of(organization, label: str):
    strategy_number, tactic_number = label.split(".")
    strategy = next(s for s in organization.strategies if s.number == int(strategy_number))
    return next(t for t in strategy.tactics if t.number == tactic_number)


def proposal_count() -> int:
    return db.session.scalar(select(func.count(Proposal.id)))


# --- the JSON endpoint ---------------------------------------------------------------------------


def test_road_proposal_gets_the_road_tactic_first_in_the_issue_shape(client):
    answer = assist(
        client,
        title="ก่อสร้างถนน คสล. สายหน้าวัด หมู่ที่ 3",
        objective="เพื่อให้ประชาชนสัญจรไปมาสะดวกและปลอดภัย",
        target="ถนนกว้าง 4 เมตร ยาว 200 เมตร",
        village=3,
    )
    assert set(answer) == {"tactics", "similar"}
    first = answer["tactics"][0]
    assert set(first) == {"strategy", "tactic", "title", "score"}
    assert (first["strategy"], first["tactic"]) == (1, "1")
    assert "ถนน" in first["title"]
    assert 0 < first["score"] <= 1
    assert 1 <= len(answer["tactics"]) <= 3
    scores = [t["score"] for t in answer["tactics"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "title",
    [
        "",
        "ถนน",
        "😀🙏🏽",
        "12345",
        "<script>alert(1)</script>",
        "road",
        "ฝาย" * 3400,  # 10,200 characters
        "x" * 10_000,
    ],
)
def test_bad_input_gets_a_normal_answer_without_noise(client, title):
    answer = assist(client, title=title, objective=title[:5000], target="", village="abc")
    assert set(answer) == {"tactics", "similar"}
    if len(title) < 100:
        assert answer["tactics"] == []


def test_unknown_organization_is_404(client):
    assert client.get("/o/no-such-place/assist?title=ถนน").status_code == 404


def test_same_weir_from_the_next_village_is_a_duplicate_other_village_road_is_not(client):
    weir = propose(client, village=4, title=WEIR, location="ลำน้ำแม่ต๋ำ")
    road = propose(client, village=3, title="ก่อสร้างถนน คสล. สายกลางบ้าน หมู่ที่ 3")
    similar = assist(
        client, title="สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ บริเวณทุ่งนา", objective="กักเก็บน้ำ", village=5
    )["similar"]
    found = {s["id"]: s for s in similar}
    assert weir in found
    assert found[weir]["village"] == 4
    assert found[weir]["status"] == "submitted"
    other_village = assist(client, title="ก่อสร้างถนน คสล. สายกลางบ้าน หมู่ที่ 6", village=6)
    assert road not in {s["id"] for s in other_village["similar"]}
    same_village = assist(client, title="ก่อสร้างถนนคอนกรีตเสริมเหล็ก สายกลางบ้าน ม.3", village=3)
    assert road in {s["id"] for s in same_village["similar"]}


def test_steady_state_is_two_round_trips_and_sees_new_proposals(client):
    query = {"title": "ขุดลอกหนองแขมที่ตื้นเขิน", "objective": "เก็บน้ำไม่ได้", "village": 4}
    assist(client, **query)  # fills the per-process caches
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert assist(client, **query)["similar"] == []
        assert len(statements) <= 2  # the organization, then one row of fingerprints
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    pond = propose(client, village=4, title="ขุดลอกหนองน้ำสาธารณะหนองแขม หมู่ที่ 4")
    assert pond in {s["id"] for s in assist(client, **query)["similar"]}


def test_a_retired_tactic_is_no_longer_suggested(client, auth):
    road = {"title": "ก่อสร้างถนน คสล. สายหน้าวัด หมู่ที่ 3", "objective": "เพื่อให้สัญจรสะดวก"}
    first = assist(client, **road)["tactics"][0]
    assert (first["strategy"], first["tactic"]) == (1, "1")
    tactic = tactic_of(org("ban-on"), "1.1")
    auth.login("officer-banon")
    assert client.post(f"/o/ban-on/catalog/tactic/{tactic.id}/retire").status_code == 302
    suggested = {(t["strategy"], t["tactic"]) for t in assist(client, **road)["tactics"]}
    assert suggested and (1, "1") not in suggested


def test_a_retitled_tactic_is_read_anew_even_at_the_same_length(client):
    road = {"title": "ก่อสร้างถนน คสล. สายหน้าวัด หมู่ที่ 3", "objective": "เพื่อให้สัญจรสะดวก"}
    tactic = tactic_of(org("ban-on"), "1.1")
    old = tactic.title
    assert assist(client, **road)["tactics"][0]["title"] == old
    revision = org("ban-on").catalog_revision
    tactic.title = old[::-1]  # a typo fixed: same length, other text
    db.session.commit()
    assert org("ban-on").catalog_revision == revision + 1
    assert old not in {t["title"] for t in assist(client, **road)["tactics"]}


def test_a_proposal_marked_as_spam_is_never_offered_as_similar(client):
    weir = propose(client, village=4, title=WEIR, location="ลำน้ำแม่ต๋ำ")
    query = {"title": "สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ", "village": 5}
    assert weir in {s["id"] for s in assist(client, **query)["similar"]}
    db.session.get(Proposal, weir).spam = True
    db.session.commit()
    assert weir not in {s["id"] for s in assist(client, **query)["similar"]}


def test_what_callers_type_is_not_kept_in_the_shared_corpus(client):
    from forum.assist import index

    propose(client, village=4, title=WEIR, location="ลำน้ำแม่ต๋ำ")
    assist(client, title="สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ", village=5)
    corpus = next(reversed(index._corpora.values()))[1]
    kept = len(corpus.term_weights)
    for n in range(5):
        assist(client, title=f"ฝายกั้นน้ำ ซอยพิเศษ{n} ทุ่งกว้างใหม่{n}ไกลโพ้น", village=5)
    assert len(corpus.term_weights) == kept
    propose(client, village=2, title="ขุดลอกหนองน้ำสาธารณะหนองบัว")  # a change: replaced, not added
    assist(client, title="สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ", village=5)
    here = [key for key in index._corpora if key[0] == str(db.engine.url)]
    assert len(here) == 1  # one corpus per organization, period and visibility


def test_anonymous_callers_see_only_public_proposals(client, auth):
    ban_on = org("ban-on")
    auth.login("village1-banon")
    response = client.post(
        "/o/ban-on/proposals/new",
        data=valid_proposal_form(ban_on, title="ปรับปรุงลานกีฬาเปตองบ้านอ้อน", save_draft="1"),
    )
    draft = int(response.headers["Location"].rsplit("/", 1)[-1])
    query = {"title": "ปรับปรุงลานกีฬาเปตองบ้านอ้อน หมู่ที่ 1", "village": 1}
    assert draft in {s["id"] for s in assist(client, **query)["similar"]}
    auth.logout()
    assert draft not in {s["id"] for s in assist(client, **query)["similar"]}


def test_withdrawn_proposals_are_not_offered(client):
    weir, code = propose_with_code(client, village=4, title=WEIR)
    assert act(client, weir, "withdraw", tracking_code=code).status_code == 302
    assert weir not in {s["id"] for s in assist(client, title=WEIR, village=5)["similar"]}


# --- the proposal form, without JavaScript -------------------------------------------------------


def test_suggest_button_rerenders_the_form_with_everything_typed(client):
    ban_on = org("ban-on")
    before = proposal_count()
    data = valid_proposal_form(
        ban_on, title="ติดตั้งไฟฟ้าส่องสว่างถนนสายทางเข้าหมู่บ้าน", objective="กลางคืนมืด อันตราย"
    )
    data["assist"] = "1"
    page = client.post("/o/ban-on/proposals/new", data=data).get_data(as_text=True)
    assert proposal_count() == before
    assert 'value="ติดตั้งไฟฟ้าส่องสว่างถนนสายทางเข้าหมู่บ้าน"' in page
    assert "กลางคืนมืด อันตราย" in page
    assert "081-234-5678" in page
    lighting = tactic_of(ban_on, "1.3")
    assert f'name="assist_pick" value="{lighting.id}"' in page
    assert "กลยุทธ์ที่แนะนำ" in page


def test_one_tap_picks_the_strategy_and_tactic(client):
    ban_on = org("ban-on")
    lighting = tactic_of(ban_on, "1.3")
    data = valid_proposal_form(ban_on, title="ติดตั้งโคมไฟถนนทางเข้าหมู่บ้าน")
    data["assist_pick"] = str(lighting.id)
    page = client.post("/o/ban-on/proposals/new", data=data).get_data(as_text=True)
    assert f'<option selected value="{lighting.id}">' in page
    assert f'<option selected value="{lighting.strategy_id}">' in page
    assert 'aria-pressed="true"' in page


def test_village_supports_an_existing_proposal_instead_of_a_duplicate(client):
    ban_on = org("ban-on")
    weir = propose(client, village=4, title=WEIR)
    village5 = next(v for v in ban_on.villages if v.number == 5)
    data = valid_proposal_form(ban_on, 5, title="สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ บ้านขาม")
    data["assist"] = "1"
    page = client.post("/o/ban-on/proposals/new", data=data).get_data(as_text=True)
    assert f'name="assist_support" value="{weir}"' in page
    before = proposal_count()
    data.pop("assist")
    data["assist_support"] = str(weir)
    response = client.post("/o/ban-on/proposals/new", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/proposals/{weir}")
    assert proposal_count() == before
    support = db.session.scalar(select(ProposalSupport).where(ProposalSupport.proposal_id == weir))
    assert support.village_id == village5.id
    assert support.note == "สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ บ้านขาม"
    shown = client.get(f"/proposals/{weir}").get_data(as_text=True)
    assert "หมู่บ้านที่เสนอ" in shown
    assert "หมู่ที่ 4" in shown and village5.label in shown
    again = client.post("/o/ban-on/proposals/new", data=data, follow_redirects=True)
    assert "สนับสนุนข้อเสนอนี้อยู่แล้ว" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProposalSupport.id))) == 1


def test_support_needs_a_village_and_keeps_what_was_typed(client):
    ban_on = org("ban-on")
    weir = propose(client, village=4, title=WEIR)
    data = valid_proposal_form(ban_on, title="ฝายลำน้ำแม่ต๋ำ", village_id=0)
    data["assist_support"] = str(weir)
    response = client.post("/o/ban-on/proposals/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "กรุณาเลือกหมู่บ้านของท่าน" in page
    assert 'value="ฝายลำน้ำแม่ต๋ำ"' in page
    assert db.session.scalar(select(func.count(ProposalSupport.id))) == 0


def test_support_records_are_permanent(client):
    weir = propose(client, village=4, title=WEIR)
    village5 = next(v for v in org("ban-on").villages if v.number == 5)
    db.session.add(ProposalSupport(proposal_id=weir, village_id=village5.id))
    db.session.commit()
    support = db.session.scalar(select(ProposalSupport))
    support.note = "changed"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()


# --- screening and merging -----------------------------------------------------------------------


def test_screening_shows_suggested_tactic_and_likely_duplicates(client, auth):
    first = propose(client, village=4, title=WEIR)
    second = propose(client, village=2, title="สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ บริเวณทุ่งนาบ้านขาม")
    village_stage(client, auth, second, village=2)
    as_user(auth, "officer-banon")
    page = client.get(f"/proposals/{second}/act/screen").get_data(as_text=True)
    assert "กลยุทธ์ที่ระบบแนะนำ" in page
    assert "การพัฒนาด้านสาธารณูปโภค" in page  # tactic 1.2: water sources
    assert f'href="/proposals/{first}"' in page
    assert f"/proposals/{second}/act/merge?into={first}" in page
    merge_page = client.get(f"/proposals/{second}/act/merge?into={first}").get_data(as_text=True)
    assert f'<option selected value="{first}">' in merge_page


def test_merged_proposal_lists_every_village_on_its_page_and_in_the_p02_row(client, auth):
    from forum.plans.annexes import group_projects

    first = propose(client, village=4, title=WEIR)
    second = propose(client, village=5, title="สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ")
    as_user(auth, "officer-banon")
    assert act(client, second, "merge", merged_into_id=first).status_code == 302
    assert status_of(second) == "merged"
    page = client.get(f"/proposals/{first}").get_data(as_text=True)
    assert "หมู่บ้านที่เสนอ" in page and "หมู่ที่ 5" in page
    proposal = db.session.get(Proposal, first)
    years = proposal.plan_period.years
    [group] = group_projects([proposal], years, ("p02",))
    assert group.projects[0].target.endswith("หมู่บ้านที่เสนอ หมู่ที่ 4, 5")


def test_an_officers_screening_teaches_the_next_suggestion(client, auth):
    ban_on = org("ban-on")
    text = {
        "title": "ปรับปรุงซุ้มประตูทางเข้าวัดพระธาตุจอมปิง",
        "objective": "เพื่อความสวยงามและต้อนรับผู้มาเยือน",
        "target": "ซุ้มประตู 1 แห่ง",
    }
    tourism = tactic_of(ban_on, "4.3")
    before = assist(client, **text)["tactics"]
    assert (before[0]["strategy"], before[0]["tactic"]) != (4, "3")
    proposal_id = propose(client, village=2, **text)
    village_stage(client, auth, proposal_id, village=2)
    as_user(auth, "officer-banon")
    program = db.session.scalars(select(Program).order_by(Program.code)).first()
    response = act(
        client, proposal_id, "screen", strategy_id=tourism.strategy_id, tactic_id=tourism.id,
        program_id=program.id, annex="p02",
    )  # fmt: skip
    assert response.status_code == 302
    after = assist(client, **text)["tactics"]
    assert (after[0]["strategy"], after[0]["tactic"]) == (4, "3")


# --- the pure parts ------------------------------------------------------------------------------


def test_thai_reading_spells_out_abbreviations_and_finds_villages_and_parts():
    reading = read("ก่อสร้างถนน คสล. ซอย ๕ ม.4 และ 5")
    assert "คอนกรีตเสริมเหล็ก" in reading.words
    assert reading.villages == {4, 5}
    assert reading.parts == {"ซอย:5"}
    assert read("<b>ฝาย</b>").words == ("ฝาย",)


def test_numbers_and_places_decide_duplicates():
    def score(a, va, b, vb):
        docs = [duplicates.features(a, None, va), duplicates.features(b, None, vb)]
        return duplicates.compare(docs[0], docs[1], duplicates.Corpus.of(docs)).score

    threshold = duplicates.THRESHOLD
    assert score("ถนน คสล. หมู่ที่ 3", 3, "ถนน คสล. หมู่ที่ 6", 6) < threshold
    assert score("ก่อสร้างถนน คสล. ซอย 5", 6, "ก่อสร้างถนน คสล. ซอย 7", 6) < threshold
    assert score(WEIR, 4, "สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ บริเวณทุ่งนา", 5) >= threshold
    assert score(WEIR, 4, "ฝายชะลอน้ำลำน้ำแม่ตำ", 5) >= threshold  # without the tone mark


def duplicate_scores(proposals, name="องค์การบริหารส่วนตำบลบ้านอ้อน"):
    """Scores of the first proposal against each other one, IDF over all of them."""
    docs = [duplicates.features(title, None, village) for title, village in proposals]
    corpus = duplicates.Corpus.of(docs, name_terms(name))
    return [duplicates.compare(docs[0], other, corpus).score for other in docs[1:]]


ORGANIZATION_WIDE = [
    ("อาหารกลางวันศูนย์พัฒนาเด็กเล็ก อบต.บ้านอ้อน", None),
    ("จัดหาวัสดุการศึกษาศูนย์พัฒนาเด็กเล็ก อบต.บ้านอ้อน", None),
    ("อาหารเสริม (นม) โรงเรียนและศูนย์พัฒนาเด็กเล็ก", None),
    ("ส่งเสริมอาชีพการทำขนมพื้นเมืองให้กลุ่มสตรี", None),
    ("ส่งเสริมอาชีพการทำดอกไม้ประดิษฐ์ให้กลุ่มสตรี", None),
    ("อาหารกลางวันศูนย์พัฒนาเด็กเล็ก ตำบลบ้านอ้อน", None),
    ("ก่อสร้างฝายชะลอน้ำลำน้ำแม่ต๋ำ", 4),
    ("สร้างฝายกั้นน้ำลำน้ำแม่ต๋ำ บริเวณทุ่งนาบ้านขาม", 5),
    ("ก่อสร้างถนน คสล. สายไปทุ่งนาหนองบัว หมู่ที่ 9", 9),
    ("ทำถนนคอนกรีตไปทุ่งนาหนองบัว บ้านอ้อนกลาง", 2),
]


def test_organization_wide_activities_sharing_generic_words_are_not_duplicates():
    materials, milk, _sweets, _flowers, lunch_again, *_ = duplicate_scores(
        ORGANIZATION_WIDE
    )
    threshold = duplicates.THRESHOLD
    assert materials < threshold  # the same child centres, another purchase
    assert milk < threshold
    assert lunch_again >= threshold  # the same lunches, asked again in other words
    training = duplicate_scores(ORGANIZATION_WIDE[3:])
    assert training[0] < threshold  # two occupations for one group


def test_one_name_locates_a_weir_across_villages_but_not_a_road():
    weir = duplicate_scores(ORGANIZATION_WIDE[6:])
    assert weir[0] >= duplicates.THRESHOLD
    road = duplicate_scores(ORGANIZATION_WIDE[8:])
    assert road[0] < duplicates.THRESHOLD  # two roads to one field, from villages 9 and 2
    both_ends = duplicate_scores(
        [("ก่อสร้างถนน คสล. สายบ้านแม่ต๋ำ-บ้านขาม หมู่ที่ 4", 4),
         ("ก่อสร้างถนนคอนกรีต เชื่อมบ้านขาม-บ้านแม่ต๋ำ", 5)]
    )  # fmt: skip
    assert both_ends[0] >= duplicates.THRESHOLD


def test_place_names_are_runs_of_words_not_fragments():
    docs = [
        duplicates.features("ขุดลอกลำเหมืองสาธารณะ ลำเหมืองพญาวัง", None, None),
        duplicates.features("ฟื้นฟูและกำจัดวัชพืชในแม่น้ำวังและลำเหมืองสาธารณะ", None, None),
    ]
    corpus = duplicates.Corpus.of(docs)
    assert "พญาวัง" in corpus.names(docs[0]).places
    assert not corpus.names(docs[0]).places & corpus.names(docs[1]).places
    assert duplicates.compare(docs[0], docs[1], corpus).score < duplicates.THRESHOLD


def test_ambulance_title_alone_suggests_medical_equipment(client):
    answer = assist(client, slug="khelang-nakhon", title="จัดซื้อรถพยาบาลฉุกเฉิน")
    assert (2, "8") in [(t["strategy"], t["tactic"]) for t in answer["tactics"]]


def test_compound_heads_are_read():
    assert {"การแพทย์", "แพทย์"} <= set(read("อุปกรณ์ทางการแพทย์").heads)
    assert "บริการ" in read("ให้บริการประชาชน").heads


def test_bm25_ranks_by_score_and_breaks_ties_by_position():
    index = Bm25([{"ถนน": 1.0}, {"ฝาย": 1.0}, {"ถนน": 1.0}, {"ถนน": 2.0, "สะพาน": 1.0}])
    hits = index.search({"ถนน": 1.0})
    assert [h.doc for h in hits][:1] == [3] or hits[0].score >= hits[1].score
    tied = [h.doc for h in hits if h.doc in (0, 2)]
    assert tied == [0, 2]
    assert index.search({"ไม่มี": 1.0}) == []
