"""Calls the indicators compute of one year: `indicators.services.statuses_compute`, the service behind
`manage.py compute --year Y` (it evaluates the n years the ШНОР rule needs and writes year Y)."""


def compute_year(year: int) -> dict:
    from indicators.services import statuses_compute

    run = statuses_compute(year=year)
    return {
        "run": run.pk,
        "schools": run.schools,
        "low_results": run.low_results_count,
        "unfavourable": run.unfavourable_count,
    }
