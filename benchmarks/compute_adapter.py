"""Calls the indicators compute of one year (the same service `manage.py compute --year Y` uses)."""


def compute_year(year: int) -> dict:
    from indicators.services import compute_year as compute  # noqa: PLC0415  (resolved when the engine lands)

    run = compute(year=year)
    return {"run": getattr(run, "pk", None), "schools": getattr(run, "schools", None),
            "low_results": getattr(run, "low_results_count", None),
            "unfavourable": getattr(run, "unfavourable_count", None)}
