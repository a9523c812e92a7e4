"""The playground: run teams live, record and replay them, render and compare their traces.

No web imports here: `studio.web` uses this package, which uses store, services, components and runtime.
"""

from .flow import Flow, flow
from .markdown import render_markdown
from .recording import Recorder, replay_component, replay_inputs
from .runs import Question, RunManager, RunNotFound, RunRefused, SessionNotFound, Update
from .stats import RunSummary, run_summary
from .trace import TraceBuilder, TraceItem, filter_items, trace_item, trace_items

__all__ = [
    "Flow",
    "Question",
    "Recorder",
    "RunManager",
    "RunNotFound",
    "RunRefused",
    "RunSummary",
    "SessionNotFound",
    "TraceBuilder",
    "TraceItem",
    "Update",
    "filter_items",
    "flow",
    "render_markdown",
    "replay_component",
    "replay_inputs",
    "run_summary",
    "trace_item",
    "trace_items",
]
