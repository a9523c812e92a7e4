"""The playground: run teams live, record and replay them, summarise and compare their runs.

No web imports and no markup here (`studio.web.trace` renders traces): `studio.web` uses this package,
which uses store, services, components and runtime.
"""

from .recording import Recorder, replay_component, replay_inputs
from .runs import ConversationNotFound, Question, RunManager, RunNotFound, RunRefused, Update
from .stats import RunSummary, run_summary

__all__ = [
    "Question",
    "Recorder",
    "RunManager",
    "RunNotFound",
    "RunRefused",
    "RunSummary",
    "ConversationNotFound",
    "Update",
    "replay_component",
    "replay_inputs",
    "run_summary",
]
