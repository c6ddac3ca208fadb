"""A hand-worked municipality of 8 schools over 2022–2024 (numbers worked out in test_compute.py)."""

from schools.models import SchoolContext
from tests.factories import MunicipalityFactory, SchoolFactory
from tests.indicators.factories import result

# code: (settlement, students, flags)
SCHOOLS = {
    "T1": ("town", 200, {}),
    "T2": ("town", 300, {}),
    "T3": ("town", 400, {}),
    "T4": ("town", 250, {}),
    "V1": ("village", 80, {"is_small": True, "is_remote": True}),
    "V2": ("village", 50, {"is_small": True}),
    "B1": ("town", 800, {}),
    "N1": ("town", 150, {}),
}
# year: code: [(procedure, participants, {column: value})]
RESULTS = {
    2022: {
        "T1": [("VPR", 20, {"mark2": 2}), ("OGE", 10, {"below_min": 1})],
        "T2": [("VPR", 20, {"mark2": 8}), ("OGE", 10, {"below_min": 5})],
        "T3": [("VPR", 20, {"mark2": 4}), ("OGE", 10, {"below_min": 2})],
        "T4": [("VPR", 20, {"mark2": 4}), ("OGE", 10, {"below_min": 2})],
        "V1": [("VPR", 10, {"mark2": 5})],
        "V2": [("VPR", 10, {"mark2": 1})],
    },
    2023: {
        "T1": [("VPR", 20, {"mark2": 6}), ("OGE", 10, {"below_min": 3})],
        "T2": [
            ("VPR", 20, {"mark2": 0}),
            ("OGE", 10, {"below_min": 0}),
            ("EGE", 10, {"high": 2, "below_min": 1}),
        ],
        "T3": [("VPR", 20, {"mark2": 6}), ("OGE", 10, {"below_min": 3})],
        "T4": [
            ("VPR", 20, {"mark2": 3}),
            ("OGE", 10, {"below_min": 1}),
            ("EGE", 10, {"high": 4, "below_min": 0}),
        ],
        "V1": [("VPR", 10, {"mark2": 4})],
        "V2": [("VPR", 10, {"mark2": 2})],
    },
    2024: {
        "T1": [
            ("VPR", 20, {"mark2": 8, "lowered": 7, "confirmed": 13, "raised": 0}),
            ("OGE", 10, {"below_min": 4}),
            ("EGE", 10, {"high": 0, "below_min": 2}),
        ],
        "T2": [
            ("VPR", 20, {"mark2": 2}),
            ("OGE", 10, {"below_min": 1}),
            ("EGE", 10, {"high": 5, "below_min": 0}),
        ],
        "T3": [("VPR", 20, {"mark2": 4}), ("OGE", 10, {"below_min": 2})],
        "T4": [
            ("VPR", 20, {"mark2": 2}),
            ("OGE", 10, {"below_min": 1}),
            ("EGE", 10, {"high": 5, "below_min": 0}),
        ],
        "V1": [("VPR", 10, {"mark2": 1}), ("OGE", 0, {"below_min": 0})],
        "V2": [("VPR", 10, {"mark2": 3})],
        "B1": [("VPR", 20, {"mark2": 10})],
        "N1": [("VPR", 20, {"mark2": 5})],
    },
}
# 2024 context beyond the number of students (every other count is 0 unless listed; None = no data)
CONTEXT_2024 = {
    "T1": {
        "police_registered": 10,
        "teachers": 20,
        "teachers_diagnosed": 10,
        "accreditation_suspended": True,
    },
    "V2": {"teachers": 0, "teachers_diagnosed": 0},
    "B1": {"special_needs": None},
}


def build():
    municipality = MunicipalityFactory(name="Тестовый округ")
    schools = {}
    for code, (settlement, _students, flags) in SCHOOLS.items():
        schools[code] = SchoolFactory(
            code=code, short_name=code, municipality=municipality, settlement=settlement, **flags
        )
    for year in (2022, 2023, 2024):
        for code, school in schools.items():
            if code == "N1" or (code == "B1" and year != 2024):
                continue
            fields = {
                "students": SCHOOLS[code][1],
                "teachers": 10,
                "police_registered": 0,
                "migrants": 0,
                "not_attested": 0,
                "absentees": 0,
                "special_needs": 0,
                "teachers_diagnosed": 5,
                "teachers_pd_request": 0,
                "teachers_pd_risk": 0,
                "accreditation_suspended": False,
            }
            if year == 2024:
                fields.update(CONTEXT_2024.get(code, {}))
            SchoolContext.objects.create(school=school, year=year, **fields)
        for code, rows in RESULTS[year].items():
            for procedure, participants, columns in rows:
                grade = {"VPR": 5, "OGE": 9, "EGE": 11}[procedure]
                result(schools[code], year, procedure, "russian", grade, participants, **columns)
    return schools
