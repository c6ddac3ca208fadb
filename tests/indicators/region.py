"""A hand-worked region of two municipalities, «Альфа» (A1–A4) and «Бета» (B1–B4), for 2023–2024.

Only the ВПР «2» share enters the results index and only the ОДН/КДН share differs among the social
indicators, so every index, rank and flag can be worked out on paper (test_cluster_scope.py does it
under both `cluster_scope` values).
"""

from schools.models import SchoolContext
from tests.factories import MunicipalityFactory, SchoolFactory
from tests.indicators.factories import result

CODES = {"Альфа": "ALF", "Бета": "BET"}  # municipality codes
# code: (municipality, settlement, students)
SCHOOLS = {
    "A1": ("Альфа", "town", 200),
    "A2": ("Альфа", "town", 200),
    "A3": ("Альфа", "town", 200),
    "A4": ("Альфа", "village", 50),
    "B1": ("Бета", "town", 200),
    "B2": ("Бета", "town", 200),
    "B3": ("Бета", "village", 60),
    "B4": ("Бета", "village", 70),
}
# ВПР: (participants, «2») → ВПР «2» share, %; 2023 is 2024 with B1 and B2 swapped
VPR_2024 = {
    "A1": (20, 2),  # 10 %
    "A2": (20, 4),  # 20 %
    "A3": (20, 6),  # 30 %
    "A4": (10, 1),  # 10 %
    "B1": (20, 8),  # 40 %
    "B2": (20, 10),  # 50 %
    "B3": (10, 3),  # 30 %
    "B4": (10, 5),  # 50 %
}
VPR = {2023: {**VPR_2024, "B1": (20, 10), "B2": (20, 8)}, 2024: VPR_2024}
# on the ОДН/КДН register (both years) → share of the students
POLICE = {
    "A1": 2,  # 1 %
    "A2": 4,  # 2 %
    "A3": 0,  # 0 %
    "A4": 5,  # 10 %
    "B1": 20,  # 10 %
    "B2": 40,  # 20 %
    "B3": 3,  # 5 %
    "B4": 14,  # 20 %
}


def build() -> dict:
    municipalities = {name: MunicipalityFactory(name=name, code=code) for name, code in CODES.items()}
    schools = {}
    for code, (municipality, settlement, students) in SCHOOLS.items():
        school = schools[code] = SchoolFactory(
            code=code, short_name=code, municipality=municipalities[municipality], settlement=settlement
        )
        for year in (2023, 2024):
            SchoolContext.objects.create(
                school=school,
                year=year,
                students=students,
                teachers=10,
                police_registered=POLICE[code],
                migrants=0,
                not_attested=0,
                absentees=0,
                special_needs=0,
                accreditation_suspended=False,
            )
            participants, fail = VPR[year][code]
            result(school, year, "VPR", "russian", 5, participants, mark2=fail)
    return schools
