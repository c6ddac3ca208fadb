"""Writes of the roadmaps app (see core, recommendations, exchange and digest)."""

from .core import (  # noqa: F401
    evidence_clean,
    roadmap_item_archive,
    roadmap_item_progress_update,
    roadmap_item_restore,
    roadmap_item_save,
    roadmap_save,
)
from .exchange import roadmap_export_bytes, roadmap_items_import  # noqa: F401
from .recommendations import (  # noqa: F401
    decision_save,
    recommendation_answer,
    recommendation_answer_refusal,
    recommendation_create,
    recommendation_save,
)
