"""Report builders: one module per report kind, each with `build(report, progress) -> dict` (the data
snapshot the renderer reads), plus where the kind sits in the directions × stages grid."""

from importlib import import_module

from .base import BuildError

__all__ = ["BuildError", "builder_for", "placement", "KIND_MODULES"]

KIND_MODULES = {
    "annual": "reports.builders.annual",
    "school": "reports.builders.school",
    "campaign": "reports.builders.campaign",
    "effectiveness": "reports.builders.effectiveness",
    "roadmap": "reports.builders.roadmap",
}

# (direction code, cycle stage number) where a published report of the kind appears on the public tab.
PLACEMENT = {
    "annual": ("1.2", 4),
    "school": ("1.2", 4),
    "campaign": ("1.2", 3),
    "effectiveness": ("1.2", 6),
    "roadmap": ("1.2", 5),
}

UNKNOWN_KIND = "Неизвестный вид отчёта: {kind}."


def builder_for(kind: str):
    if kind not in KIND_MODULES:
        raise BuildError(UNKNOWN_KIND.format(kind=kind))
    return import_module(KIND_MODULES[kind])


def placement(kind: str) -> tuple[str, int]:
    return PLACEMENT.get(kind, ("1.2", 4))
