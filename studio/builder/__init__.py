"""The builder's domain layer: the draft being edited, editing actions, the component library, and
the draft editor that keeps undo/redo on the server. No web imports: the builder pages call this."""

from __future__ import annotations

from ._termination import termination_parts
from .actions import (
    Action,
    ActionRefused,
    AddEdge,
    AddParticipant,
    AddTool,
    AutoLayout,
    DeleteEdge,
    DeleteNode,
    DuplicateNode,
    EditOpaque,
    MoveNode,
    MoveParticipant,
    NeedsConfirmation,
    RemoveTerminationPart,
    RemoveTool,
    Rename,
    ReplaceComponent,
    SetField,
    SetModel,
    SetStartNode,
    SetTermination,
    SwitchTeamType,
    UpdateEdge,
    parse_action,
)
from .draft import Draft, node_for_path, nodes_of
from .editor import DraftEditor
from .forms import Form, FormField, edge_form, form_for, parse_edge_form, parse_form
from .layout import auto_layout
from .library import LibraryItem, library, search
from .node_id import TEAM, TEAM_MODEL, TERMINATION, BadNodeId, NodeId

__all__ = [
    "Form",
    "FormField",
    "edge_form",
    "form_for",
    "parse_edge_form",
    "parse_form",
    "TEAM",
    "TEAM_MODEL",
    "TERMINATION",
    "Action",
    "ActionRefused",
    "BadNodeId",
    "AddEdge",
    "AddParticipant",
    "AddTool",
    "AutoLayout",
    "DraftEditor",
    "DeleteEdge",
    "DeleteNode",
    "Draft",
    "DuplicateNode",
    "EditOpaque",
    "LibraryItem",
    "MoveNode",
    "MoveParticipant",
    "NeedsConfirmation",
    "NodeId",
    "RemoveTerminationPart",
    "RemoveTool",
    "Rename",
    "ReplaceComponent",
    "SetField",
    "SetModel",
    "SetStartNode",
    "SetTermination",
    "SwitchTeamType",
    "UpdateEdge",
    "auto_layout",
    "library",
    "node_for_path",
    "nodes_of",
    "parse_action",
    "search",
    "termination_parts",
]
