"""Model output as safe HTML: Markdown with raw HTML off, then an allow-list sanitiser as defence in depth.

Replies are untrusted (a prompt injection can make a model write `<script>` or a `javascript:` link), so
markdown-it escapes any HTML it meets, refuses unsafe link schemes, and `nh3` then keeps only the tags,
attributes and URL schemes listed here. Markdown images become plain links: a remote image in a reply
would load on sight and could leak the conversation in its URL.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},  # language-xyz from fenced code blocks
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# `breaks`: a single newline is a line break, as in chat (a model's haiku keeps its lines).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": True})
_markdown.enable(["table", "strikethrough"])


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """`![alt](src)` as a plain link "image: alt", so nothing loads until the user follows it."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    return f'<a href="{escapeHtml(str(token.attrGet("src") or ""))}">image: {escapeHtml(alt)}</a>'


_markdown.add_render_rule("image", _image_as_link)


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    filter_style_properties={"text-align"},
)


def render_markdown(text: str) -> Markup:
    """`text` as sanitised HTML: safe to insert into a page whatever the text holds."""
    return Markup(_render(text or ""))


@lru_cache(maxsize=1024)
def _render(text: str) -> str:
    """Cached: a reload or a resumed stream shows the same recent messages again, and parsing is slow."""
    return _cleaner.clean(_markdown.render(text))


__all__ = ["render_markdown"]
