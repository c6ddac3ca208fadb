"""The default rules of the computation (DESIGN §4.4), defined once.

Read by the pure computation (`computation.Rules`) and by the fields of `MethodologyRules`, so the first
rules version that `seed_reference` creates, a new version made on the rules page and a computation
without stored rules all start from these values. Staff change them as data, per year.
"""

from decimal import Decimal

DEFAULT_SIZE_EDGES = (100, 500)  # cluster size bands by students: <100, 100–499, ≥500
DEFAULT_LOW_RESULTS_SHARE = Decimal("0.1")  # q: share of a cluster with low results
DEFAULT_LOW_RESULTS_YEARS = 2  # n: years in a row with low results for ШНОР
DEFAULT_UNFAVOURABLE_SHARE = Decimal("0.1")  # p: share of a municipality for ШНСУ

# Levels of a teacher's subject diagnostics by share of the maximum score (DESIGN §7.4):
# below 50 % low, 50–79 % medium, 80 % and more high.
DEFAULT_TEACHER_MEDIUM_FROM = Decimal("50")
DEFAULT_TEACHER_HIGH_FROM = Decimal("80")
TEACHER_BANDS_INVALID = (
    "Порог среднего уровня должен быть больше 0 и меньше порога высокого уровня, "
    "а порог высокого уровня — не больше 100 %."
)
# Population of the clusters and of the ШНСУ ranking (DESIGN §6): each municipality on its own (the seeds),
# or the whole region (clusters by settlement type × size band across the municipalities).
CLUSTER_SCOPE_MUNICIPALITY = "municipality"
CLUSTER_SCOPE_REGION = "region"
DEFAULT_CLUSTER_SCOPE = CLUSTER_SCOPE_MUNICIPALITY
