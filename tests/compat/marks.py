"""The marks of a compat test that loads components in AutoGen: needs the compat extra, and AutoGen's own
deprecation warnings (and its warning about loading FunctionTool code) are not ours to fail on."""

from __future__ import annotations

import pytest

AUTOGEN_LOADS = [
    pytest.mark.compat,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_core.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_agentchat.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:autogen_ext.*"),
    pytest.mark.filterwarnings("ignore::UserWarning"),
]
