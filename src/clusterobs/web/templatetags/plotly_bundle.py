"""``{% plotly_script %}``: the page's plotly.js ``<script>``, the smallest bundle for the charts in its context."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.functional import LazyObject
from django.utils.html import format_html

from clusterobs.charts.plotlyjs import bundle_for_slots, chart_slots

register = template.Library()


@register.simple_tag(takes_context=True)
def plotly_script(context: template.Context) -> str:
    """A deferred script tag for the bundle drawing every chart slot in the context; nothing without a chart.

    ``data-traces`` lists what a partial bundle draws, so ``site.js`` can load the full one for anything else. The
    context's lazy values (``user``, ``csrf_token``) are not looked into: asking them anything would read the session
    (and the user from the database) or make a CSRF token, and the page would depend on its requester
    (``pagecache``)."""
    values = [v for v in context.flatten().values() if not isinstance(v, LazyObject)]  # type(): no evaluation
    bundle = bundle_for_slots(chart_slots(values))
    if bundle is None:
        return ""
    if bundle.traces is None:
        return format_html('<script src="{}" defer id="plotly-js" data-bundle="full"></script>', static(bundle.path))
    return format_html('<script src="{}" defer id="plotly-js" data-bundle="{}" data-traces="{}"></script>',
                       static(bundle.path), bundle.name, " ".join(sorted(bundle.traces)))
