"""Sample annex data for the PDF tests and the benchmark (realistic Thai, deterministic)."""

from __future__ import annotations

import random

from forum.pdf.annex import AnnexDocument, AnnexGroup, AnnexProject

YEARS = [2566, 2567, 2568, 2569, 2570]
ORG = "องค์การบริหารส่วนตำบลบ้านอ้อน"

VILLAGES = [
    "บ้านอ้อน หมู่ที่ 1",
    "บ้านทุ่งผึ้ง หมู่ที่ 2",
    "บ้านแม่ตีบ หมู่ที่ 3",
    "บ้านน้ำจำ หมู่ที่ 4",
    "บ้านป่าเหียง หมู่ที่ 5",
    "บ้านปงสนุก หมู่ที่ 6",
    "บ้านหัวฝาย หมู่ที่ 7",
    "บ้านใหม่ญี่ปุ่น หมู่ที่ 8",
]

WORKS = [
    (
        "โครงการก่อสร้างถนนคอนกรีตเสริมเหล็กสายกลางหมู่บ้าน {v}",
        "เพื่อให้ประชาชนสัญจรไปมาได้สะดวกและปลอดภัย",
        "ถนนคอนกรีตเสริมเหล็ก กว้าง {w} เมตร ยาว {l} เมตร หนา 0.15 เมตร",
        "ร้อยละของประชาชนที่ได้รับความสะดวกในการสัญจร",
        "ประชาชนสัญจรไปมาได้สะดวก ลดอุบัติเหตุบนท้องถนน",
        "กองช่าง",
    ),
    (
        "โครงการขุดลอกลำเหมืองสาธารณะ {v}",
        "เพื่อแก้ไขปัญหาน้ำท่วมขังและมีน้ำใช้เพื่อการเกษตรตลอดปี",
        "ขุดลอกลำเหมือง ปากกว้าง {w} เมตร ยาว {l} เมตร ลึกเฉลี่ย 1.50 เมตร",
        "ปริมาณน้ำที่กักเก็บได้เพิ่มขึ้น",
        "เกษตรกรมีน้ำใช้ในการทำนาปรังและพืชฤดูแล้ง",
        "กองช่าง",
    ),
    (
        "โครงการติดตั้งไฟฟ้าส่องสว่างทางสาธารณะพลังงานแสงอาทิตย์ {v}",
        "เพื่อความปลอดภัยในชีวิตและทรัพย์สินของประชาชนในเวลากลางคืน",
        "ติดตั้งเสาไฟฟ้าส่องสว่างพลังงานแสงอาทิตย์ จำนวน {n} ต้น",
        "จำนวนจุดเสี่ยงที่ได้รับการติดตั้งไฟฟ้าส่องสว่าง",
        "ประชาชนมีความปลอดภัย ลดปัญหาอาชญากรรมในพื้นที่",
        "กองช่าง",
    ),
    (
        "โครงการส่งเสริมอาชีพการทำขนมไทยและผลิตภัณฑ์จากผ้าทอพื้นเมืองให้กลุ่มสตรี {v}",
        "เพื่อส่งเสริมให้ประชาชนมีอาชีพเสริมและมีรายได้เพิ่มขึ้น",
        "กลุ่มสตรีและผู้สนใจ จำนวน {n} คน",
        "ร้อยละของผู้เข้ารับการอบรมที่นำความรู้ไปประกอบอาชีพได้",
        "ประชาชนมีรายได้เพิ่มขึ้น ครอบครัวมีความเข้มแข็ง",
        "สำนักปลัด",
    ),
    (
        "โครงการป้องกันและควบคุมโรคไข้เลือดออกและโรคติดต่อที่มียุงลายเป็นพาหะ",
        "เพื่อป้องกันการแพร่ระบาดของโรคไข้เลือดออกในชุมชน ผู้ใหญ่บ้านและ อสม. มีส่วนร่วม",
        "พ่นหมอกควันและแจกทรายอะเบท {n} ครัวเรือน ทั้ง 8 หมู่บ้าน",
        "อัตราผู้ป่วยโรคไข้เลือดออกลดลงร้อยละ 20",
        "ประชาชนมีสุขภาพดี ปลอดภัยจากโรคติดต่อ",
        "กองสาธารณสุขและสิ่งแวดล้อม",
    ),
    (
        "โครงการสนับสนุนอาหารกลางวันศูนย์พัฒนาเด็กเล็กบ้านอ้อน",
        "เพื่อให้เด็กเล็กได้รับประทานอาหารที่ถูกหลักโภชนาการ มีพัฒนาการสมวัย",
        "เด็กเล็กในศูนย์พัฒนาเด็กเล็ก จำนวน {n} คน จำนวน 245 วัน",
        "ร้อยละของเด็กที่มีน้ำหนักและส่วนสูงตามเกณฑ์",
        "เด็กมีสุขภาพแข็งแรง พร้อมเรียนรู้",
        "กองการศึกษา ศาสนาและวัฒนธรรม",
    ),
    (
        "โครงการอนุรักษ์และสืบสานประเพณีปีใหม่เมืองและรดน้ำดำหัวผู้สูงอายุ",
        "เพื่อสืบสานวัฒนธรรมประเพณีอันดีงามของท้องถิ่นให้คงอยู่สืบไป",
        "ประชาชนทั้ง 8 หมู่บ้าน ผู้สูงอายุ ผู้นำชุมชน จำนวน {n} คน",
        "จำนวนผู้เข้าร่วมกิจกรรมไม่น้อยกว่าร้อยละ 80",
        "ประเพณีท้องถิ่นได้รับการอนุรักษ์ เยาวชนเห็นคุณค่าของวัฒนธรรม",
        "กองการศึกษา ศาสนาและวัฒนธรรม",
    ),
    (
        "โครงการปรับปรุงระบบประปาหมู่บ้านแบบผิวดินขนาดใหญ่ {v}",
        "เพื่อให้ประชาชนมีน้ำอุปโภคบริโภคที่สะอาดและเพียงพอ",
        "ปรับปรุงระบบกรองน้ำและถังเก็บน้ำ ขนาด {n} ลูกบาศก์เมตร",
        "จำนวนครัวเรือนที่มีน้ำประปาใช้ตลอดปี",
        "ประชาชนมีน้ำสะอาดใช้อย่างทั่วถึง",
        "กองช่าง",
    ),
]

STRATEGIES = [
    ("การพัฒนาด้านโครงสร้างพื้นฐาน", ["เคหะและชุมชน", "อุตสาหกรรมและการโยธา"]),
    ("การพัฒนาคุณภาพชีวิตและสังคม", ["สาธารณสุข", "สังคมสงเคราะห์", "การศึกษา"]),
    ("การส่งเสริมเศรษฐกิจชุมชนตามหลักปรัชญาของเศรษฐกิจพอเพียง", ["การเกษตร", "สร้างความเข้มแข็งของชุมชน"]),
    ("การอนุรักษ์ศิลปวัฒนธรรม ประเพณี และภูมิปัญญาท้องถิ่น", ["การศาสนาวัฒนธรรมและนันทนาการ"]),
    (
        "การบริหารจัดการบ้านเมืองที่ดีและการบริหารจัดการทรัพยากรธรรมชาติ",
        ["บริหารงานทั่วไป", "การรักษาความสงบภายใน"],
    ),
]

ALIGNMENT = {
    "national_strategy": "ยุทธศาสตร์ที่ 2 ด้านการสร้างความสามารถในการแข่งขัน",
    "national_plan": "ฉบับที่ 13 หมุดหมายที่ 8 ไทยมีพื้นที่และเมืองอัจฉริยะที่น่าอยู่ ปลอดภัย",
    "sdgs": "เป้าหมายที่ 9 อุตสาหกรรม นวัตกรรม และโครงสร้างพื้นฐาน",
    "province_strategy": "ยุทธศาสตร์ที่ 3 การพัฒนาโครงสร้างพื้นฐานและระบบโลจิสติกส์",
    "local_strategy": "ยุทธศาสตร์ที่ 1 การพัฒนาโครงสร้างพื้นฐาน",
}


EQUIPMENT = [
    ("ครุภัณฑ์สำนักงาน", "เครื่องปรับอากาศ", "จัดซื้อเครื่องปรับอากาศแบบแยกส่วน ขนาด 24,000 บีทียู จำนวน {k} เครื่อง"),
    (
        "ครุภัณฑ์คอมพิวเตอร์",
        "เครื่องคอมพิวเตอร์",
        "จัดซื้อเครื่องคอมพิวเตอร์ All In One สำหรับงานประมวลผล จำนวน {k} เครื่อง",
    ),
    ("ครุภัณฑ์ยานพาหนะและขนส่ง", "รถบรรทุกขยะ", "จัดซื้อรถบรรทุกขยะ ขนาด 6 ตัน 6 ล้อ แบบอัดท้าย จำนวน 1 คัน"),
    ("ครุภัณฑ์การเกษตร", "เครื่องสูบน้ำ", "จัดซื้อเครื่องสูบน้ำแบบหอยโข่ง ขนาด 5 แรงม้า จำนวน {k} เครื่อง"),
    ("ครุภัณฑ์งานบ้านงานครัว", "ตู้เย็น", "จัดซื้อตู้เย็นสำหรับศูนย์พัฒนาเด็กเล็ก ขนาด 7 คิวบิกฟุต จำนวน {k} ตู้"),
]


def _equipment(rng: random.Random, years: list[int]) -> AnnexProject:
    category, item_type, target = rng.choice(EQUIPMENT)
    year = rng.choice(years)
    return AnnexProject(
        title=f"จัดซื้อ{item_type}",
        target=target.format(k=rng.randrange(1, 6)),
        budgets={year: rng.choice([17_000, 28_600, 45_000, 2_500_000])},
        responsible_unit=rng.choice(["สำนักปลัด", "กองคลัง", "กองช่าง"]),
        category=category,
        item_type=item_type,
        kind="p03",
    )


def _project(rng: random.Random, kind: str = "p02", years: list[int] = YEARS) -> AnnexProject:
    if kind == "p03":
        return _equipment(rng, years)
    title, objective, target, kpi, expected, unit = rng.choice(WORKS)
    fill = {
        "v": rng.choice(VILLAGES),
        "w": rng.choice(["4.00", "5.00", "6.00"]),
        "l": rng.randrange(100, 1500, 50),
        "n": rng.randrange(10, 400, 5),
    }
    budgets = {}
    for y in years:
        if rng.random() < 0.6:
            budgets[y] = rng.choice([20_000, 50_000, 150_000, 300_000, 499_000, 1_250_000])
    return AnnexProject(
        title=title.format(**fill),
        objective=objective,
        target=target.format(**fill),
        budgets=budgets,
        kpi=kpi,
        expected_result=expected,
        responsible_unit=unit,
        kind=kind,
    )


def sample_document(
    n_projects: int = 24,
    form: str = "p02",
    seed: int = 7,
    years: list[int] | None = None,
    **doc_kw,
) -> AnnexDocument:
    """A plan of ``n_projects`` spread over strategies and programs (all of kind ``form``
    unless ``form`` is p01, where kinds are mixed)."""
    rng = random.Random(seed)
    years = list(years or YEARS)
    slots = [(s, st, prog) for s, (st, progs) in enumerate(STRATEGIES, 1) for prog in progs]
    groups = []
    per = max(1, n_projects // len(slots))
    made = 0
    for k, (s, st, prog) in enumerate(slots):
        count = per if k < len(slots) - 1 else max(0, n_projects - made)
        if made + count > n_projects:
            count = n_projects - made
        projects = []
        for _ in range(count):
            if form == "p01":
                kind = rng.choices(["p02", "p02-1", "p02-2", "p03"], [6, 1, 1, 2])[0]
            else:
                kind = form
            projects.append(_project(rng, kind, years))
        made += count
        if not projects:
            continue
        groups.append(
            AnnexGroup(
                strategy_number=s,
                strategy_title=st,
                tactic_number=f"{s}.1",
                tactic_title=f"ยกระดับ{st.removeprefix('การ')}อย่างทั่วถึงและยั่งยืน",
                program_name=prog,
                alignment=ALIGNMENT if s == 1 else {"local_strategy": f"ยุทธศาสตร์ที่ {s} {st}"},
                projects=projects,
            )
        )
    kw = dict(
        form=form,
        org_name=ORG,
        district="งาว",
        province="ลำปาง",
        plan_title=f"แผนพัฒนาท้องถิ่น (พ.ศ. {years[0]} - {years[-1]})",
        years=years,
        groups=groups,
    )
    kw.update(doc_kw)
    return AnnexDocument(**kw)


def tricky_document() -> AnnexDocument:
    """Bad and awkward input that must render without crashing or overflowing."""
    long_word = "ก่อสร้างถนนคอนกรีตเสริมเหล็ก" * 6
    projects = [
        AnnexProject(
            title="โครงการทดสอบอีโมจิ 😀🎉 และอักษรจีน 漢字 ปนกับภาษาไทย",
            objective="",
            target="   ",
            budgets={2566: 999_999_999_999, 2570: 0},
            kpi="\t\t",
            expected_result="ผลที่คาดว่าจะได้รับ\r\nบรรทัดที่สอง\n\n\nบรรทัดที่สาม",
            responsible_unit="กองช่าง",
        ),
        AnnexProject(
            title=long_word,
            objective="https://www.example.go.th/eplan/project/123456789/detail?x=1&y=2",
            target="Supercalifragilisticexpialidocious" * 2,
            budgets={y: 999_999_999_999 for y in YEARS},
            kpi="ปั้นน้ำ ฎีกา ปฏิบัติ ญี่ปุ่น ฐาน ที่นี่ ผู้ใหญ่บ้าน",
            expected_result="x" * 400,
            responsible_unit="หน่วยงานที่มีชื่อยาวมากเป็นพิเศษเพื่อทดสอบการตัดบรรทัด",
        ),
        AnnexProject(title="", budgets={2567: 10**18}),
    ]
    group = AnnexGroup(
        strategy_number=1,
        strategy_title="ยุทธศาสตร์ทดสอบ",
        program_name="แผนงานทดสอบ",
        projects=projects,
    )
    return AnnexDocument(
        form="p02",
        org_name=ORG,
        plan_title="แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)",
        years=list(YEARS),
        groups=[group],
    )


def amendment_document(change: bool = True, **doc_kw) -> AnnexDocument:
    """An amendment annex (เพิ่มเติม or เปลี่ยนแปลง) with reasons and, for a change, old values."""
    doc = sample_document(6, seed=11, **doc_kw)
    for group in doc.groups:
        for k, p in enumerate(group.projects):
            p.reason = "เพื่อแก้ไขปัญหาความเดือดร้อนของประชาชนตามมติที่ประชุมประชาคมหมู่บ้าน"
            if change and k == 0:
                old_budgets = {y: v // 2 for y, v in p.budgets.items()} or {2567: 100_000}
                p.old_values = {
                    "budgets": old_budgets,
                    "target": "ถนนคอนกรีตเสริมเหล็ก กว้าง 3.00 เมตร ยาว 80 เมตร",
                }
    label = "เปลี่ยนแปลง ครั้งที่ 1/2567" if change else "เพิ่มเติม ครั้งที่ 1/2567"
    doc.amendment = label
    doc.numbering = "running"
    return doc


#: เหตุผลความจำเป็น as offices write them: a paragraph, not a phrase
REASONS = [
    "เนื่องจากถนนสายดังกล่าวเป็นเส้นทางสัญจรหลักของประชาชนในหมู่บ้านและใช้ขนส่งผลผลิตทางการเกษตร"
    "ออกสู่ตลาด ปัจจุบันผิวถนนชำรุดเสียหายเป็นหลุมเป็นบ่อ ในฤดูฝนมีน้ำท่วมขังทำให้เกิดอุบัติเหตุบ่อยครั้ง "
    "ที่ประชุมประชาคมหมู่บ้านจึงมีมติให้บรรจุโครงการไว้ในแผนพัฒนาท้องถิ่นเพื่อขอรับการสนับสนุนงบประมาณ"
    "แก้ไขปัญหาความเดือดร้อนของประชาชนโดยเร่งด่วน",
    "ลำเหมืองสาธารณะตื้นเขินจากตะกอนดินและวัชพืชที่สะสมมาเป็นเวลานาน ทำให้ไม่สามารถระบายน้ำได้ในฤดูฝน"
    "และไม่มีน้ำเพียงพอสำหรับการเกษตรในฤดูแล้ง เกษตรกรกว่าหนึ่งร้อยครัวเรือนได้รับผลกระทบ ผู้ใหญ่บ้าน"
    "และคณะกรรมการหมู่บ้านได้เสนอโครงการต่อองค์การบริหารส่วนตำบลตามมติประชาคม จึงมีความจำเป็นต้อง"
    "เพิ่มเติมโครงการนี้ในแผนพัฒนาท้องถิ่นเพื่อให้สามารถตั้งงบประมาณได้",
    "สำนักงานสาธารณสุขจังหวัดแจ้งว่าอัตราผู้ป่วยโรคไข้เลือดออกในพื้นที่สูงกว่าค่าเฉลี่ยของจังหวัดติดต่อกัน"
    "สองปี องค์การบริหารส่วนจังหวัดลำปางขอความร่วมมือให้องค์กรปกครองส่วนท้องถิ่นดำเนินการป้องกันและ"
    "ควบคุมโรคอย่างต่อเนื่อง ร่วมกับอาสาสมัครสาธารณสุขประจำหมู่บ้านและโรงพยาบาลส่งเสริมสุขภาพตำบล "
    "จึงต้องเพิ่มเติมโครงการเพื่อรองรับการดำเนินงานในปีงบประมาณถัดไป",
]


def long_reason(k: int, chars: int = 300) -> str:
    """A reason of exactly ``chars`` characters (REASONS run on)."""
    text = REASONS[k % len(REASONS)]
    while len(text) < chars:
        text += " " + REASONS[(k + 1) % len(REASONS)]
    return text[:chars]


def reasons_document(n_projects: int, chars: int = 300, seed: int = 5) -> AnnexDocument:
    """A เพิ่มเติม amendment of ``n_projects`` in one group, each with a ``chars``-long reason."""
    rng = random.Random(seed)
    projects = []
    for k in range(n_projects):
        project = _project(rng)
        project.reason = long_reason(k, chars)
        projects.append(project)
    strategy, programs = STRATEGIES[0]
    group = AnnexGroup(
        strategy_number=1,
        strategy_title=strategy,
        tactic_number="1.1",
        tactic_title=f"ยกระดับ{strategy.removeprefix('การ')}",
        program_name=programs[0],
        projects=projects,
    )
    return AnnexDocument(
        form="p02",
        org_name=ORG,
        district="งาว",
        province="ลำปาง",
        plan_title="แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)",
        years=list(YEARS),
        groups=[group],
        amendment="เพิ่มเติม ครั้งที่ 1/2567",
        numbering="running",
    )


def with_reasons(doc: AnnexDocument, chars: int = 300) -> AnnexDocument:
    """``doc`` as a เพิ่มเติม amendment annex, every project with a ``chars``-long reason."""
    for k, p in enumerate(doc.projects()):
        p.reason = long_reason(k, chars)
    doc.amendment = "เพิ่มเติม ครั้งที่ 1/2567"
    doc.numbering = "running"
    return doc


# --------------------------------------------------------------------------- PDF inspection

SHAPING_WORDS = ["ที่", "นี่", "ผู้ใหญ่บ้าน", "ปั้น", "น้ำ", "ญี่ปุ่น", "ฐาน", "ฎีกา", "ปฏิบัติ", "ตำบล",
                 "ฟื้นฟู", "พื้นที่"]


def pdftotext(path, first: int | None = None, last: int | None = None) -> str:
    import subprocess

    cmd = ["pdftotext", "-raw", "-enc", "UTF-8"]
    if first is not None:
        cmd += ["-f", str(first)]
    if last is not None:
        cmd += ["-l", str(last)]
    out = subprocess.run([*cmd, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def page_count(path) -> int:
    import subprocess

    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("no page count")


def rasterise(path, directory, dpi: int = 50, first: int | None = None, last: int | None = None):
    """PNG pages (PIL images, greyscale) of a PDF."""
    import subprocess
    from pathlib import Path

    from PIL import Image

    prefix = Path(directory) / "page"
    cmd = ["pdftoppm", "-gray", "-png", "-r", str(dpi)]
    if first is not None:
        cmd += ["-f", str(first)]
    if last is not None:
        cmd += ["-l", str(last)]
    subprocess.run([*cmd, str(path), str(prefix)], check=True)
    files = sorted(Path(directory).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    return [Image.open(f).convert("L") for f in files]


def ink_bbox(image, threshold: int = 200):
    """Bounding box (left, top, right, bottom) of pixels darker than ``threshold``."""
    mask = image.point(lambda v: 255 if v < threshold else 0)
    return mask.getbbox()


def ink_components(image, threshold: int = 160) -> list[tuple[int, int, int, int, int]]:
    """Connected groups of dark pixels (8-neighbourhood): (left, top, right, bottom, size)."""
    w, h = image.size
    px = image.load()
    seen = bytearray(w * h)
    comps = []
    for y in range(h):
        for x in range(w):
            if seen[y * w + x] or px[x, y] >= threshold:
                continue
            stack = [(x, y)]
            seen[y * w + x] = 1
            left, top, right, bottom, n = x, y, x, y, 0
            while stack:
                cx, cy = stack.pop()
                n += 1
                left, top = min(left, cx), min(top, cy)
                right, bottom = max(right, cx), max(bottom, cy)
                for dx in (-1, 0, 1):
                    for dy in (-1, 0, 1):
                        nx, ny = cx + dx, cy + dy
                        if (
                            0 <= nx < w
                            and 0 <= ny < h
                            and not seen[ny * w + nx]
                            and px[nx, ny] < threshold
                        ):
                            seen[ny * w + nx] = 1
                            stack.append((nx, ny))
            comps.append((left, top, right, bottom, n))
    return comps


def squash(text: str) -> str:
    """Text without any whitespace (line breaks in cells fall between or inside words)."""
    return "".join(text.split())


# --------------------------------------------------------------------------- benchmark plans

_ACTIONS = [
    "ก่อสร้าง",
    "ปรับปรุง",
    "ซ่อมแซม",
    "ขยายเขต",
    "ขุดลอก",
    "ติดตั้ง",
    "วางท่อระบายน้ำ",
    "ก่อสร้างรางระบายน้ำคอนกรีตเสริมเหล็ก",
    "ปรับปรุงภูมิทัศน์",
    "ส่งเสริม",
    "สนับสนุน",
    "จัดอบรมให้ความรู้",
    "รณรงค์ป้องกัน",
    "พัฒนาศักยภาพ",
    "อนุรักษ์และฟื้นฟู",
]
_OBJECTS = [
    "ถนนคอนกรีตเสริมเหล็ก",
    "ถนนลูกรัง",
    "ถนนลาดยางแอสฟัลท์ติกคอนกรีต",
    "ฝายชะลอน้ำ",
    "ลำเหมืองสาธารณะ",
    "ระบบประปาหมู่บ้าน",
    "ไฟฟ้าส่องสว่างทางสาธารณะ",
    "ศาลาอเนกประสงค์",
    "ลานกีฬาชุมชน",
    "สะพานคอนกรีตเสริมเหล็ก",
    "อาชีพกลุ่มสตรีแม่บ้าน",
    "ผู้สูงอายุและผู้พิการ",
    "เด็กและเยาวชนในการต่อต้านยาเสพติด",
    "การคัดแยกขยะมูลฝอยต้นทาง",
    "การปลูกป่าชุมชน",
    "เกษตรกรผู้ปลูกข้าวอินทรีย์",
    "ศูนย์พัฒนาเด็กเล็ก",
    "อาสาสมัครป้องกันภัยฝ่ายพลเรือน",
    "ประเพณีลอยกระทงและยี่เป็ง",
    "การท่องเที่ยวเชิงเกษตร",
    "ร่องระบายน้ำข้างทาง",
    "หอกระจายข่าวไร้สาย",
    "ระบบกล้องวงจรปิด",
    "ผู้ใหญ่บ้านและคณะกรรมการหมู่บ้าน",
]
_PLACES = [
    "สายทางเข้าหมู่บ้าน",
    "สายกลางหมู่บ้าน",
    "สายไปป่าช้า",
    "สายบ้านนายสมชาย - ทุ่งนา",
    "ซอย 3",
    "ซอยข้างวัด",
    "สายไปโรงเรียน",
    "บริเวณหนองน้ำสาธารณะ",
    "รอบหมู่บ้าน",
]
_OBJECTIVE_PARTS = [
    "เพื่อให้ประชาชนสัญจรไปมาได้สะดวกและปลอดภัย",
    "เพื่อแก้ไขปัญหาน้ำท่วมขังในฤดูฝน",
    "เพื่อให้มีน้ำใช้ในการอุปโภคบริโภคอย่างเพียงพอ",
    "เพื่อส่งเสริมให้ประชาชนมีรายได้เพิ่มขึ้น",
    "เพื่อลดอุบัติเหตุและอาชญากรรมในพื้นที่",
    "เพื่อส่งเสริมสุขภาพอนามัยของประชาชน",
    "เพื่อสืบสานวัฒนธรรมประเพณีอันดีงามของท้องถิ่น",
    "เพื่อพัฒนาคุณภาพชีวิตของกลุ่มเปราะบาง",
    "เพื่อเพิ่มประสิทธิภาพการให้บริการสาธารณะ",
    "เพื่อสร้างการมีส่วนร่วมของชุมชน",
    "เพื่อลดปริมาณขยะมูลฝอยที่ต้องนำไปกำจัด",
    "เพื่อป้องกันการแพร่ระบาดของโรคติดต่อ",
]
_KPI_PARTS = [
    "ร้อยละของประชาชนที่ได้รับประโยชน์",
    "จำนวนครัวเรือนที่ได้รับบริการ",
    "ระดับความพึงพอใจของผู้เข้าร่วมโครงการไม่น้อยกว่าร้อยละ 80",
    "ระยะทางถนนที่ได้รับการปรับปรุง",
    "จำนวนผู้เข้ารับการอบรม",
    "ปริมาณขยะที่ลดลง",
    "จำนวนจุดเสี่ยงที่ได้รับการแก้ไข",
]
_RESULT_PARTS = [
    "ประชาชนได้รับความสะดวกในการคมนาคม",
    "ประชาชนมีคุณภาพชีวิตที่ดีขึ้น",
    "ชุมชนมีความเข้มแข็งและพึ่งพาตนเองได้",
    "ลดปัญหาน้ำท่วมขังและความเสียหายต่อพืชผล",
    "ประชาชนมีความปลอดภัยในชีวิตและทรัพย์สิน",
    "สิ่งแวดล้อมในชุมชนสะอาดน่าอยู่",
    "เยาวชนห่างไกลยาเสพติด",
    "เกษตรกรมีน้ำใช้ตลอดฤดูกาลผลิต",
]
_UNITS = [
    "กองช่าง",
    "สำนักปลัด",
    "กองคลัง",
    "กองการศึกษา ศาสนาและวัฒนธรรม",
    "กองสาธารณสุขและสิ่งแวดล้อม",
    "กองส่งเสริมการเกษตร",
    "กองสวัสดิการสังคม",
]


def varied_project(rng: random.Random, years: list[int], kind: str = "p02") -> AnnexProject:
    """A project with text drawn from many parts, so that few cells repeat exactly."""
    if kind == "p03":
        return _equipment(rng, years)
    village = rng.choice(VILLAGES)
    title = f"โครงการ{rng.choice(_ACTIONS)}{rng.choice(_OBJECTS)} {rng.choice(_PLACES)} {village}"
    objective = " ".join(rng.sample(_OBJECTIVE_PARTS, rng.randint(1, 3)))
    target = (
        f"{rng.choice(_OBJECTS)} กว้าง {rng.choice(['3.00', '4.00', '5.00', '6.00'])} เมตร "
        f"ยาว {rng.randrange(50, 2500, 10):,} เมตร หรือพื้นที่ไม่น้อยกว่า "
        f"{rng.randrange(200, 9000, 5):,} ตารางเมตร ผู้ได้รับประโยชน์ {rng.randrange(20, 900)} คน"
    )
    budgets = {}
    for y in years:
        if rng.random() < 0.55:
            budgets[y] = rng.randrange(5, 5000) * 1000
    return AnnexProject(
        title=title,
        objective=objective,
        target=target,
        budgets=budgets,
        kpi=" ".join(rng.sample(_KPI_PARTS, rng.randint(1, 2))),
        expected_result=" ".join(rng.sample(_RESULT_PARTS, rng.randint(1, 3))),
        responsible_unit=rng.choice(_UNITS),
        kind=kind,
    )


def bench_document(n_projects: int, seed: int = 1, form: str = "p02") -> AnnexDocument:
    """A plan of ``n_projects`` ผ.02 projects plus equipment (n/10) and beyond-capacity (n/20)
    projects, over 5 strategies and 12 programs."""
    rng = random.Random(seed)
    years = list(YEARS)
    slots = [(s, st, prog) for s, (st, progs) in enumerate(STRATEGIES, 1) for prog in progs]
    groups = {slot: [] for slot in slots}
    kinds = ["p02"] * n_projects + ["p03"] * (n_projects // 10) + ["p02-2"] * (n_projects // 20)
    for kind in kinds:
        slot = slots[rng.randrange(len(slots))]
        groups[slot].append(varied_project(rng, years, kind))
    return AnnexDocument(
        form=form,
        org_name=ORG,
        district="งาว",
        province="ลำปาง",
        plan_title="แผนพัฒนาท้องถิ่น (พ.ศ. 2566 - 2570)",
        years=years,
        groups=[
            AnnexGroup(
                strategy_number=s,
                strategy_title=st,
                tactic_number=f"{s}.1",
                tactic_title=f"ยกระดับ{st.removeprefix('การ')}",
                program_name=prog,
                alignment=ALIGNMENT,
                projects=projects,
            )
            for (s, st, prog), projects in groups.items()
            if projects
        ],
    )
