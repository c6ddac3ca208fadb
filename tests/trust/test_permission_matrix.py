"""Permission matrix: every route × every role × every method it handles → the expected status.

`test_every_route_is_in_the_matrix` walks the URL resolver and fails for a route (or a method of it)
missing here, so a new page cannot ship without deciding who may open it. Denied writes change nothing.
Roles, in the order of each tuple: anonymous, principal of school A, principal of school B, inspector,
administrator. Objects in kwargs belong to school A (see world.py).
"""

import json

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.urls import reverse

from tests.factories import SchoolContextFactory

from .conftest import ROLES
from .routes import portal_routes
from .world import build_world

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Statuses that mean "refused" (and the login redirect of an anonymous user, see _refused).
DENIED = {401, 403, 404, 405, 409}

# (anonymous, principal A, principal B, inspector, administrator)
LOGIN = 302
OWN_REDIRECTS = {
    "home",
    "logout",
    "favicon",
    "quality:accessibility",
}  # they redirect everyone somewhere else than the login page
MATRIX: dict[str, dict[str, tuple[int, int, int, int, int]]] = {
    # --- site root, login, two-factor ---
    "home": {"GET": (302, 302, 302, 302, 302)},
    "favicon": {"GET": (301, 301, 301, 301, 301)},
    "dashboard": {"GET": (LOGIN, 403, 403, 200, 200)},
    "login": {"GET": (200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200)},
    "logout": {"POST": (302, 302, 302, 302, 302)},
    # the invitation link with a token that is not valid: the page says so to everyone, nothing changes
    "password-set": {"GET": (200, 200, 200, 200, 200), "POST": (200, 200, 200, 200, 200)},
    "password-set-done": {"GET": (200, 200, 200, 200, 200)},
    "two_factor:enrol": {"GET": (LOGIN, 403, 403, 200, 200), "POST": (LOGIN, 403, 403, 200, 200)},
    "two_factor:verify": {"GET": (LOGIN, 403, 403, 302, 302), "POST": (LOGIN, 403, 403, 302, 302)},
    # --- schools ---
    "schools:list": {"GET": (LOGIN, 200, 200, 200, 200)},
    "schools:detail": {"GET": (LOGIN, 200, 404, 200, 200)},
    "schools:import": {"GET": (LOGIN, 403, 403, 403, 200), "POST": (LOGIN, 403, 403, 403, 200)},
    "schools:import-template": {"GET": (LOGIN, 403, 403, 200, 200)},
    "schools:contexts-export": {"GET": (LOGIN, 403, 403, 200, 200)},
    "jobs:detail": {"GET": (LOGIN, 200, 404, 200, 200)},
    "jobs:status": {"GET": (LOGIN, 200, 404, 200, 200)},
    "audit": {"GET": (LOGIN, 403, 403, 200, 200)},
    # --- help pages (public) ---
    "help": {"GET": (200, 200, 200, 200, 200)},
    "help-role": {"GET": (200, 200, 200, 200, 200)},
    # --- indicators ---
    "indicators:teacher-bands": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "indicators:compute": {"POST": (302, 403, 403, 302, 302)},
    "indicators:index": {"GET": (302, 403, 403, 200, 200)},
    # the objectivity list is for staff; a principal sees their school's markers on indicators:school
    "indicators:objectivity": {"GET": (302, 403, 403, 200, 200)},
    "indicators:override": {"POST": (302, 403, 403, 404, 404)},
    "indicators:rules": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "indicators:school": {"GET": (302, 200, 404, 200, 200)},
    "indicators:status-export": {"GET": (302, 403, 403, 200, 200)},
    "indicators:table": {"GET": (302, 403, 403, 200, 200)},
    "indicators:value-export": {"GET": (302, 403, 403, 200, 200)},
    # --- API: indicators ---
    "indicator-detail": {"GET": (403, 200, 200, 200, 200)},
    "indicator-list": {"GET": (403, 200, 200, 200, 200)},
    "objectivity-detail": {"GET": (403, 200, 404, 200, 200)},
    "objectivity-list": {"GET": (403, 200, 200, 200, 200)},
    "result-detail": {"GET": (403, 200, 404, 200, 200)},
    "result-list": {"GET": (403, 200, 200, 200, 200)},
    "status-detail": {"GET": (403, 200, 404, 200, 200)},
    "status-list": {"GET": (403, 200, 200, 200, 200)},
    "value-detail": {"GET": (403, 200, 404, 200, 200)},
    "value-list": {"GET": (403, 200, 200, 200, 200)},
    # --- monitoring (principals: their own cards only) ---
    "monitoring:campaign-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "monitoring:campaign-detail": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:campaign-export": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:campaign-participants": {"POST": (302, 403, 403, 302, 302)},
    "monitoring:campaign-refresh": {"POST": (302, 403, 403, 302, 302)},
    "monitoring:campaign-results": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:campaign-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "monitoring:card-confirm-agreeing": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:card-detail": {"GET": (302, 200, 404, 200, 200)},
    "monitoring:card-evaluate": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:card-recommend": {"POST": (302, 403, 403, 302, 302)},
    "monitoring:card-reopen": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:card-return": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:card-save": {"POST": (302, 400, 404, 400, 400)},
    "monitoring:card-submit": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:card-verdicts": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:card-verify": {"POST": (302, 302, 404, 302, 302)},
    "monitoring:index": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:my-cards": {"GET": (302, 200, 200, 302, 302)},
    "monitoring:template-detail": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:template-export": {"GET": (302, 403, 403, 200, 200)},
    # the template editor (staff: DESIGN §3); empty forms are refused (400), a missing version is a conflict
    "monitoring:template-create": {"POST": (302, 403, 403, 302, 302)},
    "monitoring:template-edit": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:template-settings": {"POST": (302, 403, 403, 400, 400)},
    "monitoring:template-section": {"POST": (302, 403, 403, 400, 400)},
    "monitoring:template-criterion-create": {
        "GET": (302, 403, 403, 200, 200),
        "POST": (302, 403, 403, 400, 400),
    },
    "monitoring:template-criterion-edit": {
        "GET": (302, 403, 403, 200, 200),
        "POST": (302, 403, 403, 400, 400),
    },
    "monitoring:template-criterion-action": {"POST": (302, 403, 403, 409, 409)},
    "monitoring:template-preview": {"GET": (302, 403, 403, 200, 200)},
    "monitoring:template-list": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    # --- API: monitoring ---
    "campaign-detail": {
        "GET": (403, 200, 200, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
    },
    "campaign-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "campaign-participants": {"POST": (403, 403, 403, 200, 200)},
    "card-detail": {"GET": (403, 200, 404, 200, 200), "PATCH": (403, 400, 404, 403, 403)},
    "card-evaluate": {"POST": (403, 403, 404, 400, 400)},
    "card-list": {"GET": (403, 200, 200, 200, 200)},
    "card-reopen": {"POST": (403, 403, 404, 200, 200)},
    "card-return-for-revision": {"POST": (403, 403, 404, 400, 400)},
    "card-submit": {"POST": (403, 400, 404, 403, 403)},
    "card-verdicts": {"POST": (403, 403, 404, 400, 400)},
    "card-verify": {"POST": (403, 403, 404, 400, 400)},
    "template-detail": {"GET": (403, 200, 200, 200, 200)},
    "template-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    # --- roadmaps (principals: their school's programme, recommendations, decisions) ---
    "roadmaps:decision-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:decision-detail": {"GET": (302, 200, 404, 200, 200)},
    "roadmaps:decision-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:decisions": {"GET": (302, 200, 200, 200, 200)},
    "roadmaps:direction-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:directions": {"GET": (302, 403, 403, 200, 200)},
    "roadmaps:duty-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 302, 302)},
    "roadmaps:effectiveness": {"GET": (302, 403, 403, 200, 200)},
    "roadmaps:effectiveness-export": {"GET": (302, 403, 403, 200, 200)},
    "roadmaps:index": {"GET": (302, 403, 403, 200, 200)},
    "roadmaps:item-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:item-archive": {"POST": (302, 403, 403, 302, 302)},
    "roadmaps:item-progress": {"POST": (302, 302, 404, 302, 302)},
    "roadmaps:item-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:my-school": {"GET": (302, 200, 200, 302, 302)},
    "roadmaps:objectivity-item": {"POST": (302, 403, 403, 302, 302)},
    "roadmaps:objectivity-recommendation": {"POST": (302, 403, 403, 302, 302)},
    "roadmaps:recommendation-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:recommendation-detail": {"GET": (302, 200, 404, 200, 200), "POST": (302, 200, 404, 200, 200)},
    "roadmaps:recommendation-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:recommendations": {"GET": (302, 200, 200, 200, 200)},
    "roadmaps:roadmap-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:roadmap-detail": {"GET": (302, 200, 404, 200, 200)},
    "roadmaps:roadmap-export": {"GET": (302, 200, 404, 200, 200)},
    "roadmaps:roadmap-import": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:roadmap-update": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "roadmaps:school-routes-create": {"POST": (302, 403, 403, 302, 302)},
    # --- API: roadmaps ---
    "decision-detail": {
        "GET": (403, 200, 404, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "decision-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "direction-detail": {"GET": (403, 200, 200, 200, 200)},
    "direction-list": {"GET": (403, 200, 200, 200, 200)},
    "recommendation-detail": {
        "GET": (403, 200, 404, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 400, 404, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "recommendation-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "roadmap-detail": {
        "GET": (403, 200, 404, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "roadmap-item-detail": {
        "GET": (403, 200, 404, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 200, 404, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "roadmap-item-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "roadmap-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    # --- reports (staff) ---
    "reports:document-action": {"POST": (302, 403, 403, 302, 302)},
    "reports:document-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "reports:document-detail": {"GET": (302, 403, 403, 200, 200)},
    "reports:document-edit": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "reports:document-file": {"GET": (302, 403, 403, 404, 404)},
    "reports:document-list": {"GET": (302, 403, 403, 200, 200)},
    "reports:grid": {"GET": (302, 403, 403, 200, 200)},
    "reports:index": {"GET": (302, 403, 403, 200, 200)},
    "reports:report-action": {"POST": (302, 403, 403, 302, 302)},
    "reports:report-create": {"POST": (302, 403, 403, 200, 200)},
    "reports:municipal-reports": {"POST": (302, 403, 403, 302, 302)},
    # --- region mode (staff; the municipalities shown follow municipality_list_visible_to) ---
    "region:dashboard": {"GET": (302, 403, 403, 200, 200)},
    "region:mechanisms": {"GET": (302, 403, 403, 200, 200)},
    "region:why": {"GET": (302, 403, 403, 200, 200)},
    "reports:report-detail": {"GET": (302, 403, 403, 200, 200)},
    "reports:report-file": {"GET": (302, 403, 403, 200, 200)},
    # --- API: reports and documents (the public sees published ones only) ---
    "document-detail": {"GET": (404, 404, 404, 200, 200)},
    "document-list": {"GET": (200, 200, 200, 200, 200)},
    "report-detail": {"GET": (404, 404, 404, 200, 200)},
    "report-list": {"GET": (200, 200, 200, 200, 200)},
    # --- the public tab ---
    "quality:document-detail": {"GET": (200, 200, 200, 200, 200)},
    "quality:document-file": {"GET": (200, 200, 200, 200, 200)},
    "quality:index": {"GET": (200, 200, 200, 200, 200)},
    "quality:report-detail": {"GET": (200, 200, 200, 200, 200)},
    "quality:report-file": {"GET": (200, 200, 200, 200, 200)},
    # the public tab as a public service (issue 22): open to everyone, read only
    "quality:accessibility": {"GET": (302, 302, 302, 302, 302)},  # stores the choice, goes back
    "quality:feed": {"GET": (200, 200, 200, 200, 200)},
    "quality:municipality": {"GET": (200, 200, 200, 200, 200)},
    "quality:opendata": {"GET": (200, 200, 200, 200, 200)},
    "quality:opendata-register": {"GET": (200, 200, 200, 200, 200)},
    "quality:opendata-set": {"GET": (200, 200, 200, 200, 200)},
    "quality:opendata-file": {"GET": (200, 200, 200, 200, 200)},
    "sitemap": {"GET": (200, 200, 200, 200, 200)},
    # --- documents: orders are for staff; a signed order refuses changes (409), none is deleted ---
    "documents:index": {"GET": (302, 403, 403, 200, 200)},
    "documents:order-create": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "documents:order-detail": {"GET": (302, 403, 403, 200, 200)},
    "documents:order-edit": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "documents:order-sign": {"POST": (302, 403, 403, 302, 302)},
    "documents:order-refresh": {"POST": (302, 403, 403, 302, 302)},
    "documents:order-amend": {"POST": (302, 403, 403, 302, 302)},
    "documents:order-withdraw": {"POST": (302, 403, 403, 302, 302)},
    "documents:order-file": {"GET": (302, 403, 403, 200, 200)},
    "documents:calendar-events": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "documents:templates": {"GET": (302, 403, 403, 200, 200), "POST": (302, 403, 403, 200, 200)},
    "documents:template-download": {"GET": (302, 403, 403, 200, 200)},
    "order-list": {"GET": (403, 403, 403, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "order-detail": {
        "GET": (403, 403, 403, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "order-sign": {"POST": (403, 403, 403, 400, 400)},
    # --- API: schema and docs for the portal's users only (README «API»), data needs a role ---
    "api-schema": {"GET": (403, 200, 200, 200, 200)},
    "api-docs": {"GET": (403, 200, 200, 200, 200)},
    "api-redoc": {"GET": (403, 200, 200, 200, 200)},
    "api-token": {"POST": (400, 400, 400, 400, 400)},
    "api-token-revoke": {"POST": (403, 200, 200, 200, 200)},
    "municipality-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "municipality-detail": {
        "GET": (403, 200, 200, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
    "school-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "school-detail": {
        "GET": (403, 200, 404, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),  # staff never delete through the API: 409, a Russian reason
    },
    "context-list": {"GET": (403, 200, 200, 200, 200), "POST": (403, 403, 403, 400, 400)},
    "context-detail": {
        "GET": (403, 200, 404, 200, 200),
        "PUT": (403, 403, 403, 400, 400),
        "PATCH": (403, 403, 403, 200, 200),
        "DELETE": (403, 403, 403, 409, 409),
    },
}

# URL kwargs by route name, from the world's objects.
KWARGS = {
    "password-set": lambda w: {"uidb64": "MQ", "token": "not-a-token"},
    "schools:detail": lambda w: {"code": w["school_a"].code},
    "schools:import-template": lambda w: {"kind": "schools"},
    "jobs:detail": lambda w: {"pk": w["job_a"].pk},
    "jobs:status": lambda w: {"pk": w["job_a"].pk},
    "municipality-detail": lambda w: {"code": w["school_a"].municipality.code},
    "school-detail": lambda w: {"code": w["school_a"].code},
    "context-detail": lambda w: {"pk": w["context_a"].pk},
    "help-role": lambda w: {"role": "principal"},
    "region:why": lambda w: {"code": w["school_a"].municipality.code},
    # indicators
    "indicators:school": lambda w: {"code": w["school_a"].code},
    "roadmaps:school-routes-create": lambda w: {"code": w["school_a"].code},
    "indicators:override": lambda w: {"code": w["school_a"].code},
    "result-detail": lambda w: {"pk": w["result_a"].pk},
    "indicator-detail": lambda w: {"code": w["indicator"].code},
    "status-detail": lambda w: {"pk": w["status_a"].pk},
    "value-detail": lambda w: {"pk": w["value_a"].pk},
    "objectivity-detail": lambda w: {"pk": w["objectivity_a"].pk},
    **{
        name: (lambda w: {"code": w["school_a"].code, "year": 2025})
        for name in ("roadmaps:objectivity-item", "roadmaps:objectivity-recommendation")
    },
    # monitoring
    **{
        name: (lambda w: {"pk": w["campaign"].pk})
        for name in (
            "monitoring:campaign-detail",
            "monitoring:campaign-export",
            "monitoring:campaign-participants",
            "monitoring:campaign-refresh",
            "monitoring:campaign-results",
            "monitoring:campaign-update",
            "campaign-detail",
            "campaign-participants",
        )
    },
    **{
        name: (lambda w: {"pk": w["card_a"].pk})
        for name in (
            "monitoring:card-confirm-agreeing",
            "monitoring:card-detail",
            "monitoring:card-evaluate",
            "monitoring:card-reopen",
            "monitoring:card-return",
            "monitoring:card-save",
            "monitoring:card-submit",
            "monitoring:card-verdicts",
            "monitoring:card-verify",
            "card-detail",
            "card-evaluate",
            "card-reopen",
            "card-return-for-revision",
            "card-submit",
            "card-verdicts",
            "card-verify",
        )
    },
    "monitoring:card-recommend": lambda w: {"pk": w["card_a"].pk, "code": w["criterion_code"]},
    "monitoring:template-detail": lambda w: {"slug": w["template"].slug},
    "monitoring:template-export": lambda w: {"slug": w["template"].slug, "fmt": "xlsx"},
    "monitoring:template-edit": lambda w: {"slug": w["template"].slug},
    "monitoring:template-settings": lambda w: {"slug": w["template"].slug},
    "monitoring:template-section": lambda w: {"slug": w["template"].slug},
    "monitoring:template-criterion-create": lambda w: {"slug": w["template"].slug},
    "monitoring:template-criterion-edit": lambda w: {"slug": w["template"].slug, "code": w["criterion_code"]},
    "monitoring:template-criterion-action": lambda w: {
        "slug": w["template"].slug,
        "code": w["criterion_code"],
        "action": "up",
    },
    "monitoring:template-preview": lambda w: {"slug": w["template"].slug},
    "template-detail": lambda w: {"slug": w["template"].slug},
    # roadmaps
    **{
        name: (lambda w: {"pk": w["roadmap_a"].pk})
        for name in (
            "roadmaps:roadmap-detail",
            "roadmaps:roadmap-export",
            "roadmaps:roadmap-import",
            "roadmaps:roadmap-update",
            "roadmaps:item-create",
            "roadmap-detail",
        )
    },
    **{
        name: (lambda w: {"item_pk": w["item_a"].pk})
        for name in ("roadmaps:item-archive", "roadmaps:item-progress", "roadmaps:item-update")
    },
    "roadmap-item-detail": lambda w: {"pk": w["item_a"].pk},
    **{
        name: (lambda w: {"pk": w["recommendation_a"].pk})
        for name in (
            "roadmaps:recommendation-detail",
            "roadmaps:recommendation-update",
            "recommendation-detail",
        )
    },
    **{
        name: (lambda w: {"pk": w["decision"].pk})
        for name in ("roadmaps:decision-detail", "roadmaps:decision-update", "decision-detail")
    },
    "roadmaps:direction-update": lambda w: {"pk": w["direction"].pk},
    "direction-detail": lambda w: {"pk": w["direction"].pk},
    "roadmaps:duty-update": lambda w: {"pk": w["duty"].pk},
    # reports and the public tab
    **{
        name: (lambda w: {"pk": w["document_draft"].pk})
        for name in (
            "reports:document-detail",
            "reports:document-edit",
            "reports:document-file",
            "document-detail",
        )
    },
    "reports:document-action": lambda w: {"pk": w["document_draft"].pk, "action": "publish"},
    # documents: a draft (edit, sign, refresh) and a signed order (amend, withdraw)
    **{
        name: (lambda w: {"pk": w["order_draft"].pk})
        for name in (
            "documents:order-detail",
            "documents:order-edit",
            "documents:order-sign",
            "documents:order-refresh",
            "order-detail",
            "order-sign",
        )
    },
    **{
        name: (lambda w: {"pk": w["order_signed"].pk})
        for name in ("documents:order-amend", "documents:order-withdraw")
    },
    "documents:order-file": lambda w: {"pk": w["order_draft"].pk, "fmt": "docx"},
    "documents:template-download": lambda w: {"pk": w["document_template"].pk},
    **{name: (lambda w: {"pk": w["report_draft"].pk}) for name in ("reports:report-detail", "report-detail")},
    "reports:report-action": lambda w: {"pk": w["report_draft"].pk, "action": "publish"},
    "reports:report-file": lambda w: {"pk": w["report_draft"].pk, "what": "pdf"},
    **{
        name: (lambda w: {"pk": w["document_public"].pk})
        for name in ("quality:document-detail", "quality:document-file")
    },
    "quality:report-detail": lambda w: {"pk": w["report_public"].pk},
    "quality:report-file": lambda w: {"pk": w["report_public"].pk, "what": "pdf"},
    "quality:municipality": lambda w: {"code": w["school_a"].municipality.code},
    "quality:opendata-register": lambda w: {"fmt": "csv"},
    "quality:opendata-set": lambda w: {"identifier": "shnor-shnsu-lists"},
    "quality:opendata-file": lambda w: {"identifier": "shnor-shnsu-lists", "name": "meta", "fmt": "csv"},
}


def test_every_route_is_in_the_matrix():
    routes = portal_routes()
    missing = sorted(f"{name} ({route.route})" for name, route in routes.items() if name not in MATRIX)
    unlisted_methods = sorted(
        f"{name} {method}"
        for name, route in routes.items()
        if name in MATRIX
        for method in route.methods
        if method not in MATRIX[name]
    )
    stale = sorted(set(MATRIX) - set(routes))
    assert missing == [], "Маршруты без строки в матрице прав: " + ", ".join(missing)
    assert unlisted_methods == [], "Методы без строки в матрице прав: " + ", ".join(unlisted_methods)
    assert stale == [], "В матрице есть маршруты, которых больше нет: " + ", ".join(stale)


def _row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {
        m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.db_table in tables
    }


# JSON bodies that pass validation, so the answer shows the permission decision and not a 400.
_VERSION = {"version": 1}
BODIES = {
    ("card-detail", "PATCH"): {"version": 1, "answers": []},
    ("card-submit", "POST"): _VERSION,
    ("card-verify", "POST"): _VERSION,
    ("card-evaluate", "POST"): _VERSION,
    ("card-verdicts", "POST"): {"version": 1, "verdicts": []},
    ("card-return-for-revision", "POST"): {"version": 1, "message": "Доработайте раздел 1."},
    ("card-reopen", "POST"): {"version": 1, "until": "2030-01-01"},
}


def _request(client, method: str, url: str, name: str = ""):
    if method == "GET":
        return client.get(url)
    if (name, method) in BODIES:
        return client.generic(method, url, json.dumps(BODIES[name, method]), content_type="application/json")
    if method == "POST":
        return client.post(url, {})
    return getattr(client, method.lower())(url, data=json.dumps({}), content_type="application/json")


# What a principal may change at all; any other write by a principal or a visitor must change nothing,
# whatever its status (a staff-only form answering with a redirect and a message included).
PRINCIPAL_WRITES = {
    ("login", "POST"),
    ("logout", "POST"),
    ("api-token-revoke", "POST"),  # their own token only
    ("card-detail", "PATCH"),
    ("card-submit", "POST"),
    ("monitoring:card-save", "POST"),
    ("monitoring:card-submit", "POST"),
    ("roadmap-item-detail", "PATCH"),
    ("roadmaps:item-progress", "POST"),
    ("recommendation-detail", "PATCH"),
    ("roadmaps:recommendation-detail", "POST"),
}


def _refused(name: str, role: str, expected: int, method: str = "GET") -> bool:
    if role in ("anonymous", "principal_a", "principal_b") and (name, method) not in PRINCIPAL_WRITES:
        return True
    return expected in DENIED or (expected == LOGIN and role == "anonymous" and name not in OWN_REDIRECTS)


CASES = [(name, method) for name, methods in MATRIX.items() for method in methods]


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_permission_matrix(name, method, actors, client_for):
    world = build_world(actors)
    url = reverse(name, kwargs=KWARGS[name](world) if name in KWARGS else None)
    observed, side_effects = {}, []
    for role, expected in zip(ROLES, MATRIX[name][method], strict=True):
        with transaction.atomic():
            client = client_for(actors[role])
            before = _row_counts() if method in UNSAFE and _refused(name, role, expected, method) else None
            response = _request(client, method, url, name)
            observed[role] = response.status_code
            if (
                response.status_code == expected == LOGIN
                and role == "anonymous"
                and name not in OWN_REDIRECTS
            ):
                assert response["Location"].startswith(reverse("login")), (name, method, response["Location"])
            if before is not None and _row_counts() != before:
                side_effects.append(role)
            transaction.set_rollback(True)
    assert observed == dict(zip(ROLES, MATRIX[name][method], strict=True)), f"{method} {url}"
    assert side_effects == [], f"{method} {url}: отказ, но данные изменились у {side_effects}"


# Beyond statuses: the rows a principal's school list and API answer contain are their school's only.
@pytest.mark.django_db
def test_principal_list_shows_only_own_school(client_for, principal_a, school_b):
    response = client_for(principal_a).get("/schools/")

    assert [s.code for s in response.context["schools"]] == ["A001"]


@pytest.mark.django_db
def test_api_principal_sees_only_own_school_and_context(client_for, principal_a, school_b, school_a):
    SchoolContextFactory(school=school_a, year=2024)
    SchoolContextFactory(school=school_b, year=2024)
    client = client_for(principal_a)

    schools = client.get("/api/schools/").json()
    contexts = client.get("/api/contexts/").json()

    assert (schools["count"], [s["code"] for s in schools["results"]]) == (1, ["A001"])
    assert [c["school_code"] for c in contexts["results"]] == ["A001"]
