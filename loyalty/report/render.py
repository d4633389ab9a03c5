"""Altair charts as static images, offline: SVG for HTML, PNG for PDF and PowerPoint.

vl-convert bundles the Vega engine, so nothing is fetched from a CDN. The chart theme
(:mod:`loyalty.charts.theme`) is enabled before each spec is built because exports also run
outside the app (the command line), where nothing else enables it.

Rendering dominates the build time, so each chart is rendered once per content (SVG, then
PNG rasterised from that SVG, which is faster than a second Vega run) and charts are
rendered in parallel: vl-convert releases the GIL.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import altair as alt

from loyalty.charts import theme

if TYPE_CHECKING:
    from loyalty.report.content import ReportContent

#: PNG resolution: twice the screen size, sharp on a projector and in print.
PNG_SCALE = 2
_THREADS = 4


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Return the Vega-Lite spec of ``chart`` with the project theme and a white background."""
    theme.enable()
    # No schema validation: the charts come from loyalty.charts (tested there), and validating
    # every spec again took about half a second of each report build.
    spec = chart.to_dict(validate=False)
    config = dict(spec.get("config", {}))
    # Transparent backgrounds turn black in some PDF and slide viewers.
    config["background"] = "white"
    spec["config"] = config
    return spec


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Return ``chart`` as an SVG document (text)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart_spec(chart))


def svg_to_png(svg: str, scale: float = PNG_SCALE) -> bytes:
    """Return an SVG document rasterised to PNG bytes."""
    import vl_convert as vlc

    return vlc.svg_to_png(svg, scale=scale)


def _parallel(function: Callable, items: list) -> list:
    if len(items) <= 1:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(_THREADS, len(items))) as pool:
        return list(pool.map(function, items))


def report_charts(content: ReportContent) -> dict[str, alt.TopLevelMixin]:
    """Return every chart of the report by name: the content's charts plus the plan timeline."""
    from loyalty.report.timeline import plan_timeline

    charts = dict(content.charts)
    timeline = plan_timeline(content)
    if timeline is not None:
        charts["timeline"] = timeline
    return charts


def content_svgs(content: ReportContent) -> dict[str, str]:
    """Return the SVG of every chart of ``content``, rendered once and kept on it."""
    import vl_convert as vlc

    charts = report_charts(content)
    missing = [name for name in charts if name not in content.svgs]
    specs = [chart_spec(charts[name]) for name in missing]  # Altair itself stays on this thread
    content.svgs.update(zip(missing, _parallel(vlc.vegalite_to_svg, specs), strict=True))
    return content.svgs


def content_pngs(content: ReportContent) -> dict[str, bytes]:
    """Return the PNG of every chart of ``content``: PDF and PowerPoint share them."""
    svgs = content_svgs(content)
    missing = [name for name in svgs if name not in content.images]
    content.images.update(zip(missing, _parallel(svg_to_png, [svgs[n] for n in missing]), strict=True))
    return content.images
