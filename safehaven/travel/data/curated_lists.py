"""The route planner's curated lists, each row with its source: the suspended flight routes, the
land borders and their statuses, and the destinations where an asylum claim or resettlement is
realistic. Read only by ``build_travel_data.py`` next to it, which writes the CSV files the app
reads; the app never imports either. Edit a row here (with its source), then rebuild
(SOURCE.md, "Updating").
"""

from __future__ import annotations

EU_MEMBERS = """AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES
SE""".split()  # noqa: SIM905 (easier to read than a list)

# --- suspended routes: (country, other, since, source); "*" = every country with flights ---
EU_CLOSURE = (
    "2022-02-27",
    "EU closure of its airspace to Russian carriers, Council Regulation (EU) 2022/334 of "
    "28 February 2022 (announced 27 February 2022); Russia's reciprocal closure to carriers of "
    "the EU states (Rosaviatsia, 28 February 2022)",
)
SUSPENDED: list[tuple[str, str, str, str]] = [("RU", eu, *EU_CLOSURE) for eu in EU_MEMBERS]
SUSPENDED += [
    (
        "RU",
        "GB",
        "2022-02-25",
        "UK ban on Aeroflot and Russian aircraft (Air Navigation (Restrictions) (Russia) "
        "Regulations, February-March 2022); Russia's reciprocal closure (Rosaviatsia, "
        "25 February 2022)",
    ),
    (
        "RU",
        "US",
        "2022-03-02",
        "US closure of its airspace to Russian aircraft, announced 1 March 2022 (FAA NOTAM, in "
        "force 2 March 2022); Russia's reciprocal closure (Rosaviatsia, 28 February 2022)",
    ),
    (
        "RU",
        "CA",
        "2022-02-27",
        "Transport Canada closure of Canadian airspace to Russian aircraft, 27 February 2022",
    ),
    (
        "RU",
        "NO",
        "2022-02-28",
        "Norway's closure of its airspace to Russian aircraft, 28 February 2022",
    ),
    (
        "RU",
        "CH",
        "2022-02-28",
        "Swiss Federal Council closure of Swiss airspace to Russian aircraft, 28 February 2022",
    ),
    (
        "RU",
        "IS",
        "2022-02-28",
        "Iceland's closure of its airspace to Russian aircraft, 28 February 2022",
    ),
    (
        "UA",
        "*",
        "2022-02-24",
        "Ukraine's airspace closed to civil aviation since the Russian invasion of 24 February "
        "2022 (Ukrainian State Aviation Service NOTAM; EASA conflict zone bulletin CZIB-2022-01)",
    ),
    (
        "BY",
        "*EU",
        "2021-06-05",
        "EU ban on Belarusian carriers in EU airspace and airports, Council Regulation (EU) "
        "2021/907 of 4 June 2021 (after the diversion of Ryanair flight FR4978)",
    ),
]

# --- land borders: unordered pairs (CIA World Factbook, "Land boundaries", public domain) ---
FACTBOOK = "CIA World Factbook, field 'Land boundaries' (public domain), as of 2025"
LAND_PAIRS = """
RU-GE RU-AZ GE-AZ GE-AM GE-TR AM-IR AM-AZ AM-TR AZ-IR AZ-TR
RU-KZ RU-MN RU-CN RU-NO RU-FI RU-EE RU-LV RU-LT RU-PL RU-BY RU-UA
KZ-KG KZ-UZ KZ-TM KZ-CN KG-UZ KG-TJ KG-CN TJ-UZ TJ-CN TM-UZ TM-IR
AF-IR AF-PK AF-TM AF-UZ AF-TJ AF-CN
PT-ES ES-FR ES-AD FR-AD FR-BE FR-LU FR-DE FR-CH FR-IT FR-MC BE-NL BE-DE BE-LU NL-DE LU-DE
DE-DK DE-PL DE-CZ DE-AT DE-CH CH-AT CH-IT CH-LI AT-LI AT-IT AT-SI AT-HU AT-SK AT-CZ
CZ-PL CZ-SK SK-PL SK-HU SK-UA PL-UA PL-BY PL-LT LT-BY LT-LV LV-EE LV-BY FI-SE FI-NO SE-NO
HU-UA HU-RO HU-RS HU-HR HU-SI SI-IT SI-HR HR-BA HR-RS HR-ME BA-RS BA-ME RS-ME RS-XK RS-MK
RS-BG RS-RO ME-XK ME-AL AL-XK AL-MK AL-GR MK-XK MK-GR MK-BG BG-GR BG-TR BG-RO GR-TR RO-UA
RO-MD MD-UA UA-BY BY-LV IT-SM IT-VA GB-IE
TR-IR TR-IQ TR-SY IR-IQ IR-PK IQ-SY IQ-JO IQ-KW IQ-SA JO-SY JO-IL JO-SA LB-SY LB-IL IL-SY
IL-EG IL-PS JO-PS EG-PS EG-LY EG-SD SA-YE SA-OM OM-YE AE-OM AE-SA QA-SA KW-SA
CN-MN CN-PK PK-IN IN-NP IN-BD IN-BT IN-MM NP-CN BD-MM IN-CN
SD-SS SD-TD SD-ET SD-ER SD-LY SD-CF ET-KE ET-SO ET-DJ ET-ER ET-SS KE-UG KE-TZ KE-SO KE-SS
UG-RW UG-TZ UG-SS UG-CD RW-TZ RW-CD RW-BI BI-TZ TZ-MZ TZ-MW TZ-ZM
NG-BJ NG-NE NG-CM NG-TD GH-TG GH-CI GH-BF BJ-TG SN-GM SN-GN SN-ML SN-MR MA-DZ DZ-TN LY-TN
ZA-ZW ZA-BW ZA-NA ZA-MZ ZA-LS ZA-SZ ZW-ZM ZW-MZ ZW-BW ZM-MW MW-MZ
US-CA US-MX MX-GT MX-BZ GT-BZ GT-HN GT-SV HN-SV HN-NI NI-CR CR-PA PA-CO CO-VE CO-EC CO-PE
CO-BR EC-PE PE-BO PE-BR PE-CL BO-CL BO-AR BO-PY BO-BR AR-CL AR-PY AR-UY AR-BR BR-UY BR-PY
BR-VE BR-GY BR-SR GY-VE GY-SR DO-HT
TH-MY TH-LA TH-KH TH-MM MY-SG MY-BN MY-ID LA-VN LA-KH LA-CN VN-CN VN-KH MM-CN MM-LA ID-TL
ID-PG
""".split()  # noqa: SIM905 (easier to read than a list)
# Crossings known closed or restricted to travellers: (a, b, status, since, source).
LAND_STATUS: list[tuple[str, str, str, str, str]] = [
    (
        "RU",
        "GE",
        "open",
        "",
        "Upper Lars (Verkhny Lars) - Kazbegi, the one legal crossing, open (Georgian Ministry "
        "of Internal Affairs; heavy traffic reported since September 2022)",
    ),
    (
        "AM",
        "TR",
        "closed",
        "1993-04-03",
        "Turkey closed the border in April 1993; not reopened (CIA World Factbook, "
        "'Transnational issues')",
    ),
    (
        "AM",
        "AZ",
        "closed",
        "1991-01-01",
        "Closed since the Nagorno-Karabakh war; no crossing for travellers (CIA World Factbook)",
    ),
    *[
        (
            "AZ",
            other,
            "closed",
            "2020-03-05",
            "Azerbaijan's land borders closed to travellers since March 2020, the closure "
            "extended by Cabinet of Ministers decisions since (last checked 2025)",
        )
        for other in ("RU", "GE", "IR", "TR")
    ],
    (
        "RU",
        "UA",
        "closed",
        "2022-02-24",
        "War since the Russian invasion of 24 February 2022 (State Border Guard Service "
        "of Ukraine)",
    ),
    (
        "BY",
        "UA",
        "closed",
        "2022-02-24",
        "Ukraine closed its border with Belarus on 24 February 2022 (State Border Guard Service "
        "of Ukraine)",
    ),
    (
        "RU",
        "FI",
        "closed",
        "2023-12-15",
        "Finland closed every crossing on its eastern border (Finnish Government decisions of "
        "November-December 2023, extended indefinitely in April 2024)",
    ),
    (
        "PL",
        "BY",
        "restricted",
        "2021-08-01",
        "Poland has closed most crossings; few remain open for passenger traffic (Polish Border "
        "Guard; closures since 2021-2025)",
    ),
    (
        "RU",
        "PL",
        "restricted",
        "2022-02-24",
        "Kaliningrad: few crossings open; the EU refuses Russian-registered cars (European "
        "Commission guidance of 8 September 2023)",
    ),
    (
        "PK",
        "IN",
        "closed",
        "2025-04-24",
        "Attari-Wagah closed to travellers after the Pahalgam attack (Indian Ministry of "
        "External Affairs, 23 April 2025)",
    ),
    (
        "AF",
        "PK",
        "restricted",
        "2025-10-12",
        "Torkham and Chaman closed after the October 2025 clashes; repeatedly closed before "
        "(check UNHCR Afghanistan situation updates)",
    ),
    (
        "AF",
        "CN",
        "closed",
        "",
        "Wakhjir Pass: no crossing open to travellers (CIA World Factbook)",
    ),
    (
        "IL",
        "LB",
        "closed",
        "1948-01-01",
        "No crossing for travellers (CIA World Factbook)",
    ),
    (
        "IL",
        "SY",
        "closed",
        "1967-06-10",
        "No crossing for travellers (CIA World Factbook)",
    ),
    (
        "SA",
        "YE",
        "restricted",
        "2015-03-26",
        "War in Yemen; crossings controlled by the coalition (UNHCR Yemen situation)",
    ),
    (
        "DZ",
        "MA",
        "closed",
        "1994-08-27",
        "Closed by Algeria since 1994 (CIA World Factbook, 'Transnational issues')",
    ),
    (
        "SD",
        "SS",
        "restricted",
        "2023-04-15",
        "Sudan's war since 15 April 2023; crossings used by refugees (UNHCR Sudan situation)",
    ),
    (
        "KG",
        "TJ",
        "open",
        "2025-03-13",
        "Reopened after the Kyrgyz-Tajik border treaty of 13 March 2025 (closed after the "
        "2021-2022 clashes)",
    ),
]

# --- destinations where an asylum claim or resettlement is realistic (caseworkers review) ---
ASYLUM_EU = (
    "EU Qualification Directive 2011/95/EU, art. 10(1)(d) (sexual orientation as a particular "
    "social group); CJEU X, Y and Z (C-199/12 to C-201/12, 2013)"
)
DESTINATIONS: list[tuple[str, str, str]] = [
    (
        "CA",
        "asylum_on_arrival resettlement",
        "Immigration and Refugee Protection Act; IRB "
        "Chairperson's Guideline 9 (SOGIESC); Government-Assisted and Privately Sponsored Refugees",
    ),
    ("DE", "asylum_on_arrival resettlement", ASYLUM_EU + "; Asylgesetz section 3b"),
    ("NL", "asylum_on_arrival resettlement", ASYLUM_EU + "; Vreemdelingencirculaire C2/3.2"),
    ("SE", "asylum_on_arrival resettlement", ASYLUM_EU + "; Utlänningslagen 4 kap. 1 §"),
    ("NO", "asylum_on_arrival resettlement", "Immigration Act (utlendingsloven) section 30"),
    ("FI", "asylum_on_arrival resettlement", ASYLUM_EU),
    (
        "DK",
        "resettlement",
        ASYLUM_EU.replace("EU Qualification", "Udlændingeloven section 7; cf. EU Qualification"),
    ),
    ("BE", "asylum_on_arrival resettlement", ASYLUM_EU),
    ("FR", "asylum_on_arrival resettlement", ASYLUM_EU + "; CESEDA L.511-3"),
    ("ES", "asylum_on_arrival resettlement", ASYLUM_EU + "; Ley 12/2009 art. 7"),
    ("PT", "asylum_on_arrival resettlement", ASYLUM_EU + "; Lei 27/2008"),
    ("IE", "asylum_on_arrival resettlement", "International Protection Act 2015, section 8"),
    ("IS", "asylum_on_arrival", "Foreign Nationals Act no. 80/2016, art. 38"),
    (
        "GB",
        "asylum_on_arrival resettlement",
        "Immigration Rules Part 11; Home Office asylum "
        "policy instruction 'Sexual orientation in asylum claims'",
    ),
    ("AU", "resettlement", "Humanitarian Program (offshore, subclass 200/202)"),
    ("NZ", "resettlement", "Refugee Quota Programme; Immigration Act 2009, section 129"),
    ("AR", "asylum_on_arrival", "Ley 26.165 de Reconocimiento y Protección al Refugiado"),
    ("UY", "asylum_on_arrival", "Ley 18.076 (derecho al refugio)"),
]
