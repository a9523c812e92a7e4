"""axe-core scans of page states, in light and dark: `axe.check(page, "state")` for each state a test
reaches, then `axe.assert_clean()` fails with every violation found (rule, target, summary), not only the first.

axe-core is vendored (vendor/axe-core-VERSION.min.js; vendor/refresh-axe.sh brings a newer one), so the
scans need no npm. Every rule axe runs by default (WCAG 2.x A/AA and best practices) plus the experimental
`label-content-name-mismatch` (WCAG 2.5.3, "label in name": a visible label is part of the accessible name),
and one check of ours: no two visible buttons on a page share an accessible name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

VENDORED = sorted(Path(__file__).with_name("vendor").glob("axe-core-*.min.js"))
if len(VENDORED) != 1:
    raise RuntimeError(f"expected one vendored axe-core in tests/browser/vendor, found {VENDORED}")
AXE_JS = VENDORED[0]
OPTIONS = {"rules": {"label-content-name-mismatch": {"enabled": True}}, "resultTypes": ["violations"]}
SCHEMES = ("light", "dark")
# Buttons (and links that look like buttons) must differ by their accessible names on one page, as a screen
# reader's list of buttons shows them.
CONTROLS = "button, [role=button], a.button, summary"
DUPLICATE_NAMES = """(controls) => {
  const seen = new Map();
  axe.setup(document);
  try {
  for (const el of document.querySelectorAll(controls)) {
    if (!el.checkVisibility()) continue;
    const name = axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(el)).trim().replace(/\\s+/g, " ");
    seen.set(name, (seen.get(name) || 0) + 1);
  }
  } finally { axe.teardown(); }
  return [...seen].filter(([, n]) => n > 1).map(([name, n]) => `${n} × “${name}”`);
}"""


def _inject(page: Page) -> None:
    """axe-core, once per document."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text())


def violations(page: Page) -> list[dict[str, Any]]:
    """axe.run() on the page as it is now."""
    _inject(page)
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", OPTIONS)


def duplicate_names(page: Page) -> list[str]:
    _inject(page)
    return page.evaluate(DUPLICATE_NAMES, CONTROLS)


def describe(state: str, scheme: str, found: list[dict[str, Any]]) -> list[str]:
    lines = []
    for v in found:
        lines.append(f"[{state}, {scheme}] {v['id']} ({v.get('impact')}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return lines


@dataclass
class AxeScan:
    failures: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)

    def check(self, page: Page, state: str) -> None:
        """Scan the page in light and dark (one page load: only the emulated colour scheme changes)."""
        self.states.append(state)
        # a state is what stays: no htmx request under way, no fade or transition half done (a pulse goes on)
        page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
                               " && document.getAnimations().every(a => a.playState !== 'running'"
                               "   || a.effect?.getTiming().iterations === Infinity)")
        self.failures += [f"[{state}] buttons with one name: {d}" for d in duplicate_names(page)]
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            self.failures += describe(state, scheme, violations(page))
        page.emulate_media(color_scheme="light")

    def assert_clean(self) -> None:
        assert self.states, "no page state was scanned"
        if self.failures:
            version = AXE_JS.name.removeprefix("axe-core-").removesuffix(".min.js")
            pytest.fail(f"axe-core {version} found violations:\n"
                        + "\n".join(self.failures), pytrace=False)
