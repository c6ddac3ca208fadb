"""API documentation pages under the strict CSP.

Swagger UI (split view: its init script is a separate file) keeps one small inline <style> that carries a
per-request nonce, allowed only on this view. Redoc's styled-components inject <style> elements without a
nonce, so the Redoc page alone allows inline *styles* (and its search worker from a blob:); scripts stay
'self' everywhere. No page loads fonts or scripts from a CDN.
"""

from csp.constants import NONCE, SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


@method_decorator(csp_update({"style-src": [NONCE]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "drf_spectacular/portal_swagger_ui.html"


@method_decorator(csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="dispatch")
class ApiRedocView(SpectacularRedocView):
    template_name = "drf_spectacular/portal_redoc.html"
