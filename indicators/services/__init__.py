"""Writes of the indicators app: the results import, the computation, rules and status overrides."""

from .compute import rules_for_year, statuses_compute
from .results import RESULT_COLUMNS, results_import

__all__ = ["RESULT_COLUMNS", "results_import", "rules_for_year", "statuses_compute"]
