"""Studio's embedded team runtime: agents, teams, terminations, model clients and sandboxed tools.

It imports nothing from the web or the database and runs alone from the CLI. Its observable behaviour
(the messages and events a run yields, and its stop reason) is AutoGen 0.7.5's.
"""

from .cancellation import CancellationToken
from .messages import TaskResult

__all__ = ["CancellationToken", "TaskResult"]
