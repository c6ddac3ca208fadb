"""A hand-worked data set for the objectivity markers (DESIGN §8), years 2023 and 2024.

Two municipalities: «Северный» (N01 … N10) and «Южный» (S11 … S13). Default rules: a row counts with
≥ 10 participants; vpr_lowered / vpr_raised / vpr_high_band need ≥ 2 ВПР rows; «понизили» ≥ 30 %,
«повысили» ≥ 15 %, «5» ≥ 30 % and ≥ 2 × the group's share; ОГЭ below minimum ≥ 10 % after a ВПР-8 without
«2»; ВПР mean − КДР mean ≥ 0.7; medal candidates unconfirmed ≥ 30 %; the list needs ≥ 2 markers.

2024 (the year checked):
  N01 vpr_lowered: Русский 5 кл. 6/20 = 30 % (exactly the threshold), Математика 5 кл. 7/20 = 35 % → 2 rows.
      vpr_raised: Русский 6 кл. 2/10 = 20 % (10 participants: counts), Математика 6 кл. 3/20 = 15 % → 2 rows.
      2 markers → listed; listed in 2023 too → «устойчиво».
  N02 «понизили» Русский 5 кл. 8/20 = 40 % (1 row) and Математика 5 кл. 5/9 = 55,6 % with 9 participants
      (does not count) → 1 row of 2: no marker. Listed in 2023, so it left the list.
  N03 vpr_high_band (municipality «Северный», its own rows included):
      Русский 4 кл.: N03 10/20 = 50 %; Северный (N03 10 + N04 2 + N05 0) / 60 = 20 %; 50 ≥ 30 and 50 ≥ 2 × 20.
      Математика 4 кл.: N03 8/20 = 40 %; Северный (8 + 1 + 1) / 60 = 16,67 %; 40 ≥ 2 × 16,67 = 33,33 → 2 rows.
      1 marker → not listed.
  S13 «5» Русский 4 кл. 12/20 = 60 %, Математика 4 кл. 12/20 = 60 %; Южный (S13 12 + S12 3) / 40 = 37,5 %
      in both → 60 < 75: no vpr_high_band with the municipality. With the region as the group:
      Русский 4 кл. region (10 + 2 + 0 + 12 + 3) / 100 = 27 % → 60 ≥ 54 ✓;
      Математика 4 кл. (8 + 1 + 1 + 12 + 3) / 100 = 25 % → 60 ≥ 50 ✓ → marker;
      and N03 then: 50 < 54, 40 < 50 → no marker.
  N05 vpr_oge_mismatch: ВПР 2023 Математика 8 кл. 25 participants, «2» = 0; ОГЭ 2024 Математика 2/20 = 10 %
      (exactly) → marker. Русский: ВПР-8 2023 without «2» but ОГЭ 1/20 = 5 % → no row.
  N06 ВПР 2023 Математика 8 кл. has one «2»; ОГЭ 2024 5/20 = 25 % → no marker.
  N07 kdr_vpr_gap: ВПР Математика 7 кл. marks 0/4/8/8 → (12 + 32 + 40) / 20 = 4,2;
      КДР 2/8/8/2 → (4 + 24 + 32 + 10) / 20 = 3,5; gap 0,7 (exactly) → marker.
  N08 ВПР Математика 7 кл. 0/6/8/6 → (18 + 32 + 30) / 20 = 4,0; КДР 3,5 → gap 0,5: no marker. Its
      Русский 7 кл. КДР has 8 participants (marks 4/4/0/0, mean 2,5 against ВПР 4,0): does not count.
  N09 vpr_lowered: Русский 5 кл. 10/20 = 50 %, Математика 5 кл. 12/20 = 60 %;
      medalists_unconfirmed: 3 of 10 candidates = 30 % (exactly) → 2 markers, listed, new (not «устойчиво»).
  N10 medal candidates 1 of 4 = 25 % → no marker; «повысили» Русский 6 кл. 2/14 = 14,3 %, Математика 6 кл.
      3/20 = 15 % → 1 row: no vpr_raised.
  S11 medal candidates 0 → nothing. S12 results without any marker.
2023: N01 «понизили» 10/20 in Русский 5 and Математика 5, «повысили» 4/20 in Русский 6 and Математика 6 →
  2 markers, listed. N02 the same → listed. Nobody else is listed in 2023.
List 2024: N01 (устойчиво), N09. Markers per school 2024: N01 2, N03 1, N05 1, N07 1, N09 2, others 0.
"""

from schools.models import Municipality, SchoolContext
from tests.factories import SchoolFactory
from tests.indicators.factories import result

NORTH, SOUTH = "Северный муниципальный округ", "Южный муниципальный округ"


def build() -> dict:
    north = Municipality.objects.create(name=NORTH)
    south = Municipality.objects.create(name=SOUTH)
    s = {}
    for n in range(1, 11):
        code = f"N{n:02d}"
        s[code] = SchoolFactory(code=code, short_name=f"Школа {code}", municipality=north)
    for n in range(11, 14):
        code = f"S{n}"
        s[code] = SchoolFactory(code=code, short_name=f"Школа {code}", municipality=south)

    # 2023: N01 and N02 listed (lowered + raised in two rows each).
    for code in ("N01", "N02"):
        for subject in ("russian", "math"):
            result(s[code], 2023, "VPR", subject, 5, 20, lowered=10, confirmed=10, raised=0)
            result(s[code], 2023, "VPR", subject, 6, 20, lowered=0, confirmed=16, raised=4)
    # ВПР 8 кл. 2023 for the ОГЭ 2024 cohort.
    result(s["N05"], 2023, "VPR", "math", 8, 25, mark2=0, mark3=10, mark4=10, mark5=5, observers=True)
    result(s["N05"], 2023, "VPR", "russian", 8, 25, mark2=0, mark3=12, mark4=8, mark5=5)
    result(s["N06"], 2023, "VPR", "math", 8, 25, mark2=1, mark3=10, mark4=9, mark5=5)

    # 2024
    result(s["N01"], 2024, "VPR", "russian", 5, 20, lowered=6, confirmed=14, raised=0, observers=False)
    result(s["N01"], 2024, "VPR", "math", 5, 20, lowered=7, confirmed=13, raised=0, video=True)
    result(s["N01"], 2024, "VPR", "russian", 6, 10, lowered=0, confirmed=8, raised=2)
    result(s["N01"], 2024, "VPR", "math", 6, 20, lowered=0, confirmed=17, raised=3, recheck=True)
    result(s["N02"], 2024, "VPR", "russian", 5, 20, lowered=8, confirmed=12, raised=0)
    result(s["N02"], 2024, "VPR", "math", 5, 9, lowered=5, confirmed=4, raised=0)
    for code, (russian5, math5) in {"N03": (10, 8), "N04": (2, 1), "N05": (0, 1)}.items():
        result(s[code], 2024, "VPR", "russian", 4, 20, mark5=russian5)
        result(s[code], 2024, "VPR", "math", 4, 20, mark5=math5)
    result(s["S13"], 2024, "VPR", "russian", 4, 20, mark5=12)
    result(s["S13"], 2024, "VPR", "math", 4, 20, mark5=12)
    result(s["S12"], 2024, "VPR", "russian", 4, 20, mark5=3)
    result(s["S12"], 2024, "VPR", "math", 4, 20, mark5=3)
    result(s["N05"], 2024, "OGE", "math", 9, 20, below_min=2, observers=True, video=True)
    result(s["N05"], 2024, "OGE", "russian", 9, 20, below_min=1)
    result(s["N06"], 2024, "OGE", "math", 9, 20, below_min=5)
    result(s["N07"], 2024, "VPR", "math", 7, 20, mark2=0, mark3=4, mark4=8, mark5=8, video=False)
    result(s["N07"], 2024, "KDR", "math", 7, 20, mark2=2, mark3=8, mark4=8, mark5=2)
    result(s["N08"], 2024, "VPR", "math", 7, 20, mark2=0, mark3=6, mark4=8, mark5=6)
    result(s["N08"], 2024, "KDR", "math", 7, 20, mark2=2, mark3=8, mark4=8, mark5=2)
    result(s["N08"], 2024, "VPR", "russian", 7, 20, mark2=0, mark3=6, mark4=8, mark5=6)
    result(s["N08"], 2024, "KDR", "russian", 7, 8, mark2=4, mark3=4, mark4=0, mark5=0)
    result(s["N09"], 2024, "VPR", "russian", 5, 20, lowered=10, confirmed=10, raised=0)
    result(s["N09"], 2024, "VPR", "math", 5, 20, lowered=12, confirmed=8, raised=0)
    result(s["N10"], 2024, "VPR", "russian", 6, 14, lowered=0, confirmed=12, raised=2)
    result(s["N10"], 2024, "VPR", "math", 6, 20, lowered=0, confirmed=17, raised=3)
    for code, candidates, unconfirmed in (("N09", 10, 3), ("N10", 4, 1), ("S11", 0, 0)):
        SchoolContext.objects.create(
            school=s[code],
            year=2024,
            students=300,
            teachers=30,
            medal_candidates=candidates,
            medal_candidates_unconfirmed=unconfirmed,
        )
    return s


EXPECTED_2024 = {
    "N01": ["vpr_lowered", "vpr_raised"],
    "N02": [],
    "N03": ["vpr_high_band"],
    "N04": [],
    "N05": ["vpr_oge_mismatch"],
    "N06": [],
    "N07": ["kdr_vpr_gap"],
    "N08": [],
    "N09": ["vpr_lowered", "medalists_unconfirmed"],
    "N10": [],
    "S11": [],
    "S12": [],
    "S13": [],
}
LISTED_2024 = {"N01", "N09"}
