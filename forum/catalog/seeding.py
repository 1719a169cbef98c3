"""Imports the catalogs the project ships (forum/catalog/seeds/) as published."""

import json
from importlib import resources

from sqlalchemy import select

from forum.catalog.loader import LoadReport, load_catalog
from forum.catalog.parser import merge, parse_catalog
from forum.catalog.programs import ensure_standard_programs, link_tactics_to_programs
from forum.extensions import db
from forum.organizations.models import Organization, OrgKind

SEEDS = resources.files("forum.catalog") / "seeds"


def manifest() -> list[dict]:
    data = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    return data["organizations"] if isinstance(data, dict) else data


def parsed_catalog(entry: dict):
    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in entry["files"]]
    catalogs = [parse_catalog(text) for text in texts]
    return catalogs[0] if len(catalogs) == 1 else merge(*catalogs)


def upsert_organization(entry: dict) -> Organization:
    org = db.session.scalar(select(Organization).where(Organization.slug == entry["slug"]))
    if org is None:
        org = Organization(slug=entry["slug"])
        db.session.add(org)
    for attr in ("kind", "municipality_class", "name_th", "name_en", "province", "district"):
        if getattr(org, attr) != entry.get(attr):
            setattr(org, attr, entry.get(attr))
    return org


def link_province_strategies(org: Organization, province: Organization, links: dict) -> None:
    by_number = {s.number: s for s in province.strategies}
    for strategy in org.strategies:
        target = links.get(str(strategy.number))
        wanted = by_number.get(target) if target else None
        if strategy.province_strategy is not wanted:
            strategy.province_strategy = wanted


def import_shipped_catalogs() -> dict[str, LoadReport]:
    """Idempotent: a second run reports no changes."""
    programs = ensure_standard_programs()
    entries = manifest()
    reports, orgs = {}, {}
    for entry in entries:
        parsed = parsed_catalog(entry)
        if parsed.problems:
            lines = "; ".join(f"line {p.line_no}: {p.reason}" for p in parsed.problems)
            raise ValueError(f"shipped catalog {entry['slug']} has unplaced lines: {lines}")
        org = upsert_organization(entry)
        reports[entry["slug"]] = load_catalog(org, parsed)
        orgs[entry["slug"]] = org
    province = next((o for o in orgs.values() if o.kind == OrgKind.PROVINCE_WIDE), None)
    for entry in entries:
        org = orgs[entry["slug"]]
        if province is not None and org is not province:
            if org.province_catalog is not province:
                org.province_catalog = province
            link_province_strategies(org, province, entry.get("province_links") or {})
        if org.accepts_proposals:
            link_tactics_to_programs(org.strategies, programs)
    db.session.flush()
    return reports
