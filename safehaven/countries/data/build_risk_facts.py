"""Build ``risk_facts.csv`` from ILGA World's December 2020 table and the project's own list of
later changes and regional facts. Run by hand when the facts change; the app never imports it.

    .venv/bin/python safehaven/countries/data/build_risk_facts.py \
        ../shared/data/ilga-sexual-orientation-laws-2020/ilga_sexual_orientation_laws_dec2020.csv
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
OUT = HERE / "risk_facts.csv"
COUNTRIES_OUT = HERE / "countries.csv"
SNAPSHOT = "2020-12-01"
ILGA = "ILGA World: State-Sponsored Homophobia 2020 / Sexual Orientation Laws in the World"

# The 193 member states of the United Nations (ISO 3166-1 alpha-2).
UN_MEMBERS = set(
    """AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH
    CM CA CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI
    FR GA GM GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG
    LA LV LB LS LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MC MN ME MA MZ MM NA NR NP NL NZ
    NI NE NG MK NO OM PK PW PA PG PY PE PH PL PT QA KR MD RO RU RW KN LC VC WS SM ST SA SN RS SC
    SL SG SK SI SB SO ZA SS ES LK SD SR SE CH SY TJ TH TL TG TO TT TN TR TM TV UG UA AE GB TZ US
    UY UZ VU VE VN YE ZM ZW""".split()  # noqa: SIM905 (easier to read than a list)
)
# Places outside the UN kept because facts or requests name them.
NON_MEMBERS = {
    "PS": "Palestine",
    "XK": "Kosovo",
    "VA": "Holy See",
    "TW": "Taiwan",
    "CK": "Cook Islands",
}

# The report text lists Brunei and Nigeria among the 6 states with the death penalty in force;
# the map table is coarser (Brunei "10", Nigeria "VARIES").
DEATH_FIXES = {
    "BN": "Syariah Penal Code Order 2013, in force since April 2019: death by stoning "
    "(ILGA World, State-Sponsored Homophobia 2020, report text).",
    "NG": "Federal Criminal Code: up to 14 years; death by stoning under the Sharia penal codes "
    "of 12 northern states (ILGA World, State-Sponsored Homophobia 2020, report text).",
}

# (iso2, kind, value, prison_years, valid_from, source, source_year, summary)
LATER_CHANGES = [
    (
        "BT",
        "criminalisation",
        "legal",
        None,
        "2021-02-17",
        "Penal Code (Amendment) Act of Bhutan 2021, royal assent 17 Feb 2021",
        2021,
        "Parliament repealed sections 213 and 214 of the Penal Code.",
    ),
    (
        "AG",
        "criminalisation",
        "legal",
        None,
        "2022-07-05",
        "High Court of Antigua and Barbuda, Orden David v Attorney General, 5 Jul 2022",
        2022,
        "The High Court struck down the buggery and gross indecency laws.",
    ),
    (
        "KN",
        "criminalisation",
        "legal",
        None,
        "2022-08-29",
        "Eastern Caribbean Supreme Court, Jamal Jeffers v Attorney General, 29 Aug 2022",
        2022,
        "The court struck down the buggery and gross indecency laws.",
    ),
    (
        "BB",
        "criminalisation",
        "legal",
        None,
        "2022-12-12",
        "High Court of Barbados, ruling of 12 Dec 2022",
        2022,
        "The High Court struck down the buggery and gross indecency laws.",
    ),
    (
        "SG",
        "criminalisation",
        "legal",
        None,
        "2023-01-03",
        "Penal Code (Amendment) Act 2022 "
        "(repeal of s. 377A passed 29 Nov 2022, in force 3 Jan 2023)",
        2022,
        "Parliament repealed section 377A of the Penal Code.",
    ),
    (
        "MU",
        "criminalisation",
        "legal",
        None,
        "2023-10-04",
        "Supreme Court of Mauritius, Ah Seek v The State, 4 Oct 2023",
        2023,
        "The Supreme Court struck down section 250 of the Criminal Code.",
    ),
    (
        "DM",
        "criminalisation",
        "legal",
        None,
        "2024-04-22",
        "High Court of Dominica, ruling of 22 Apr 2024",
        2024,
        "The High Court struck down the buggery and gross indecency laws.",
    ),
    (
        "UG",
        "max_penalty",
        "death_in_force",
        None,
        "2023-05-26",
        "Anti-Homosexuality Act 2023, assented 26 May 2023",
        2023,
        'Death penalty for "aggravated homosexuality"; up to life in prison otherwise.',
    ),
]

# (region code, region name, kind, value, prison_years, for_whom, valid_from, source, year, summary)
NIGERIAN_SHARIA_STATES = {
    "NG-BA": "Bauchi",
    "NG-BO": "Borno",
    "NG-GO": "Gombe",
    "NG-JI": "Jigawa",
    "NG-KD": "Kaduna",
    "NG-KN": "Kano",
    "NG-KT": "Katsina",
    "NG-KE": "Kebbi",
    "NG-NI": "Niger",
    "NG-SO": "Sokoto",
    "NG-YO": "Yobe",
    "NG-ZA": "Zamfara",
}
GAZA = {
    "PS-NGZ": "North Gaza",
    "PS-GZA": "Gaza",
    "PS-DEB": "Deir al-Balah",
    "PS-KYS": "Khan Yunis",
    "PS-RFH": "Rafah",
}
REGIONAL = [
    (
        "RU-CE",
        "Chechnya",
        "state_persecution",
        "state_persecution",
        None,
        "men",
        "2017-01-01",
        "Novaya Gazeta, 1 Apr 2017; OSCE Moscow Mechanism report, Dec 2018",
        2018,
        "State-run detention, torture and killing of gay and bisexual men since 2017, "
        "without a criminal law.",
    ),
    *[
        (
            code,
            name,
            "max_penalty",
            "death_in_force",
            None,
            "men",
            "2001-01-01",
            ILGA + " (report text: 12 northern states' Sharia penal codes, 2000-2001)",
            2020,
            "Sharia penal code since 2000-2001: death by stoning for sex between men.",
        )
        for code, name in NIGERIAN_SHARIA_STATES.items()
    ],
    (
        "ID-AC",
        "Aceh",
        "criminalisation",
        "criminalised",
        None,
        "men_and_women",
        "2015-10-23",
        "Aceh Qanun Jinayat No. 6/2014, in force 23 Oct 2015 (ILGA 2020, footnote on Indonesia)",
        2020,
        "Same-sex intimacy punished by public caning (up to 100 lashes).",
    ),
    *[
        (
            code,
            name,
            "criminalisation",
            "criminalised",
            None,
            "unknown",
            "1936-01-01",
            "British Mandate Criminal Code Ordinance 1936, still applied in Gaza "
            "(ILGA 2020, footnote on Palestine)",
            2020,
            "Same-sex intimacy criminalised in the Gaza Strip, up to 10 years in prison.",
        )
        for code, name in GAZA.items()
    ],
]

FIELDS = [
    "country",
    "region",
    "region_name",
    "kind",
    "value",
    "prison_years",
    "for_whom",
    "summary",
    "source",
    "source_year",
    "valid_from",
    "valid_to",
]


def country_name(iso2: str) -> str:
    if iso2 in NON_MEMBERS:
        return NON_MEMBERS[iso2]
    country = pycountry.countries.get(alpha_2=iso2)
    if country is None:
        raise SystemExit(f"pycountry does not know {iso2}")
    return str(getattr(country, "common_name", None) or country.name)


def national_rows(ilga: dict[str, dict[str, str]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for iso2 in sorted(UN_MEMBERS | set(NON_MEMBERS)):
        record = ilga[iso2]
        legal = record["csssa_legal"].strip()
        base = {
            "country": iso2,
            "region": "",
            "region_name": "",
            "source": ILGA,
            "source_year": 2020,
            "valid_from": SNAPSHOT,
            "valid_to": "",
            "prison_years": "",
        }
        value = {"YES": "legal", "NO": "criminalised", "DE FACTO": "criminalised_de_facto"}[legal]
        summary = {
            "legal": "Same-sex intimacy is not criminalised.",
            "criminalised": "Same-sex intimacy is criminalised by law.",
            "criminalised_de_facto": "Same-sex intimacy is criminalised de facto, without a "
            "clear law.",
        }[value]
        rows.append(
            {
                **base,
                "kind": "criminalisation",
                "value": value,
                "for_whom": "" if value == "legal" else "unknown",
                "summary": summary,
            }
        )
        if value == "legal":
            continue
        penalty = record["max_penalty"].strip()
        years = ""
        if iso2 in DEATH_FIXES:
            kind_value, summary = "death_in_force", DEATH_FIXES[iso2]
        elif penalty == "DEATH":
            kind_value, summary = "death_in_force", "Death penalty in force."
        elif penalty == "DEATH (P)":
            kind_value, summary = "death_possible", "Death penalty possible (less legal certainty)."
        elif penalty == "FOR LIFE":
            kind_value, summary = "life", "Up to life in prison."
        elif penalty == "VARIES":
            kind_value, summary = "varies", "The maximum penalty varies."
        elif penalty == "UNDETERM.":
            kind_value, summary = "undetermined", "The maximum penalty is undetermined."
        else:
            plural = "" if penalty == "1" else "s"
            kind_value, years = "prison", penalty
            summary = f"Up to {penalty} year{plural} in prison."
        rows.append(
            {
                **base,
                "kind": "max_penalty",
                "value": kind_value,
                "prison_years": years,
                "for_whom": "unknown",
                "summary": summary,
            }
        )
    return rows


def apply_changes(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    for iso2, kind, value, years, valid_from, source, year, summary in LATER_CHANGES:
        current = [
            r
            for r in rows
            if r["country"] == iso2 and r["kind"] == kind and not r["region"] and not r["valid_to"]
        ]
        if len(current) != 1:
            raise SystemExit(f"no single current fact for {iso2} {kind}")
        previous = current[0]
        day_before = _day_before(valid_from)
        previous["valid_to"] = day_before
        rows.append(
            {
                "country": iso2,
                "region": "",
                "region_name": "",
                "kind": kind,
                "value": value,
                "prison_years": years or "",
                "for_whom": "" if value == "legal" else "unknown",
                "summary": summary,
                "source": source,
                "source_year": year,
                "valid_from": valid_from,
                "valid_to": "",
            }
        )
        if value == "legal":  # the penalty ends with the crime
            for row in rows:
                if row["country"] == iso2 and row["kind"] == "max_penalty" and not row["valid_to"]:
                    row["valid_to"] = day_before
    return rows


def _day_before(iso_date: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso_date) - timedelta(days=1)).isoformat()


def regional_rows() -> list[dict[str, object]]:
    return [
        {
            "country": code.split("-")[0],
            "region": code,
            "region_name": name,
            "kind": kind,
            "value": value,
            "prison_years": years or "",
            "for_whom": for_whom,
            "summary": summary,
            "source": source,
            "source_year": year,
            "valid_from": valid_from,
            "valid_to": "",
        }
        for code, name, kind, value, years, for_whom, valid_from, source, year, summary in REGIONAL
    ]


def main(source: str) -> None:
    with open(source, encoding="utf-8", newline="") as handle:
        ilga = {row["iso2"]: row for row in csv.DictReader(handle) if row["iso2"]}
    if len(UN_MEMBERS) != 193:
        raise SystemExit(f"{len(UN_MEMBERS)} UN members listed, not 193")
    missing = sorted((UN_MEMBERS | set(NON_MEMBERS)) - set(ilga))
    if missing:
        raise SystemExit(f"not in the ILGA table: {missing}")
    rows = apply_changes(national_rows(ilga)) + regional_rows()
    rows.sort(key=lambda r: (r["country"], r["region"], r["kind"], r["valid_from"]))
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with open(COUNTRIES_OUT, "w", encoding="utf-8", newline="") as handle:
        rows_out = csv.writer(handle, lineterminator="\n")
        rows_out.writerow(["iso2", "iso3", "name", "un_member"])
        for iso2 in sorted(UN_MEMBERS | set(NON_MEMBERS)):
            rows_out.writerow(
                [
                    iso2,
                    ilga[iso2]["iso3"],
                    country_name(iso2),
                    "yes" if iso2 in UN_MEMBERS else "no",
                ]
            )
    for path in (OUT, COUNTRIES_OUT):
        sys.stdout.write(f"{path.name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n")


if __name__ == "__main__":
    main(sys.argv[1])
