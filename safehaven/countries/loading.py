"""The shipped files in ``countries/data/`` and how they reach the database: by the data
migration on a new database, by ``manage.py load_country_facts`` after an update. Works on the
real models or a migration's historical ones. A series of facts (one country or region, one
kind) that an administrator has changed is never touched: their edit and its history stay."""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
FACT_FIELDS = ("value", "prison_years", "for_whom", "summary", "source", "source_year", "valid_to")

SeriesKey = tuple[str, str | None, str]
FactKey = tuple[str, str | None, str, datetime.date]


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def shipped_countries() -> list[dict[str, Any]]:
    with open(DATA / "countries.csv", encoding="utf-8", newline="") as handle:
        return [
            {
                "iso2": row["iso2"],
                "iso3": row["iso3"],
                "name": row["name"],
                "un_member": row["un_member"] == "yes",
            }
            for row in csv.DictReader(handle)
        ]


def shipped_facts() -> list[dict[str, Any]]:
    with open(DATA / "risk_facts.csv", encoding="utf-8", newline="") as handle:
        return [
            {
                "country_id": row["country"],
                "region_id": row["region"] or None,
                "region_name": row["region_name"],
                "kind": row["kind"],
                "value": row["value"],
                "prison_years": int(row["prison_years"]) if row["prison_years"] else None,
                "for_whom": row["for_whom"],
                "summary": row["summary"],
                "source": row["source"],
                "source_year": int(row["source_year"]),
                "valid_from": _date(row["valid_from"]),
                "valid_to": _date(row["valid_to"]),
            }
            for row in csv.DictReader(handle)
        ]


@dataclass
class Plan:
    """What loading the shipped files would change."""

    new_countries: list[dict[str, Any]] = field(default_factory=list)
    new_regions: list[dict[str, Any]] = field(default_factory=list)
    new_facts: list[dict[str, Any]] = field(default_factory=list)
    changed_facts: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    kept_series: set[SeriesKey] = field(default_factory=set)
    unshipped: list[Any] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            len(self.new_countries)
            + len(self.new_regions)
            + len(self.new_facts)
            + len(self.changed_facts)
        )

    def lines(self) -> list[str]:
        out = [f"new country {row['iso2']} {row['name']}" for row in self.new_countries]
        out += [f"new region {row['code']} {row['name']}" for row in self.new_regions]
        out += [f"new fact {_describe(row)}" for row in self.new_facts]
        out += [f"changed fact {_describe(row)}" for _fact, row in self.changed_facts]
        out += [
            f"kept an administrator's edits: {country} {region or ''} {kind}"
            for country, region, kind in sorted(self.kept_series, key=str)
        ]
        out += [f"not in the shipped file (kept): {fact}" for fact in self.unshipped]
        return out


def _describe(row: dict[str, Any]) -> str:
    return (
        f"{row['country_id']} {row['region_id'] or ''} {row['kind']}={row['value']} "
        f"from {row['valid_from']}"
    )


def plan_load(country_model: Any, region_model: Any, fact_model: Any) -> Plan:
    plan = Plan()
    known_countries = set(country_model.objects.values_list("iso2", flat=True))
    plan.new_countries = [c for c in shipped_countries() if c["iso2"] not in known_countries]
    rows = shipped_facts()
    known_regions = set(region_model.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for row in rows:
        code = row["region_id"]
        if code and code not in known_regions and code not in seen:
            seen.add(code)
            plan.new_regions.append(
                {"code": code, "country_id": row["country_id"], "name": row["region_name"]}
            )
    existing: dict[FactKey, Any] = {}
    edited: set[SeriesKey] = set()
    for fact in fact_model.objects.all():
        existing[(fact.country_id, fact.region_id, fact.kind, fact.valid_from)] = fact
        if fact.changed_by_id is not None:
            edited.add((fact.country_id, fact.region_id, fact.kind))
    shipped_keys: set[FactKey] = set()
    for row in rows:
        series = (row["country_id"], row["region_id"], row["kind"])
        key = (*series, row["valid_from"])
        shipped_keys.add(key)
        if series in edited:
            plan.kept_series.add(series)
            continue
        fact = existing.get(key)
        if fact is None:
            plan.new_facts.append(row)
        elif any(getattr(fact, name) != row[name] for name in FACT_FIELDS):
            plan.changed_facts.append((fact, row))
    plan.unshipped = [
        fact
        for key, fact in existing.items()
        if key not in shipped_keys and fact.changed_by_id is None
    ]
    return plan


def apply_load(plan: Plan, country_model: Any, region_model: Any, fact_model: Any) -> None:
    country_model.objects.bulk_create([country_model(**row) for row in plan.new_countries])
    region_model.objects.bulk_create(
        [region_model(offered_on_public_form=True, **row) for row in plan.new_regions]
    )
    fact_model.objects.bulk_create(
        [
            fact_model(**{k: v for k, v in row.items() if k != "region_name"})
            for row in plan.new_facts
        ]
    )
    for fact, row in plan.changed_facts:
        for name in FACT_FIELDS:
            setattr(fact, name, row[name])
        fact.save(update_fields=list(FACT_FIELDS))
