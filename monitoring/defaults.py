"""The default rules of the expert card (DESIGN §4.5), defined once.

Levels by share of the maximum: high ≥ 80 %, medium ≥ 60 %, low below. Read by the fields of
`CardTemplate`, the built-in template that `seed_reference` creates and a template file without levels.
"""

from decimal import Decimal

DEFAULT_HIGH_SHARE = Decimal("0.8")
DEFAULT_MEDIUM_SHARE = Decimal("0.6")
# The same levels as a template file writes them (the built-in templates, a new template of the editor).
DEFAULT_LEVELS = {"high": str(DEFAULT_HIGH_SHARE), "medium": str(DEFAULT_MEDIUM_SHARE)}

# How often a built-in criterion is assessed (every built-in template is yearly).
YEARLY = "1 раз в год"


def criterion(code, text, *, method, points, kind, source, threshold=None, evidence_required=True, **extra):
    """One yearly criterion of a built-in template as `template_import` reads it; `extra` carries what only
    some kinds have (rule, options, context_field)."""
    return {
        "code": code,
        "text": text,
        "method": method,
        "points": points,
        "kind": kind,
        "threshold": threshold,
        **extra,
        "evidence_required": evidence_required,
        "periodicity": YEARLY,
        "source": source,
    }
