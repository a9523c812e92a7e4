"""How a run's trace is shown: its events as template items (`items`), their parts (`event_views`),
model text as sanitised Markdown (`markdown`) and the flow of turns as an SVG layout (`flow`).

View-models that make markup and DOM ids: the `studio.playground` domain package has none.
"""

from .flow import Flow, flow
from .items import TraceBuilder, TraceItem, filter_items, stream_dom_id, trace_item, trace_items
from .markdown import render_markdown

__all__ = [
    "Flow",
    "TraceBuilder",
    "TraceItem",
    "filter_items",
    "flow",
    "render_markdown",
    "stream_dom_id",
    "trace_item",
    "trace_items",
]
