"""Model output rendered as sanitised Markdown: formatting kept, anything active made inert."""

from __future__ import annotations

import pytest

from studio.runtime.messages import MultiModalMessage, TextMessage
from studio.web.trace.items import trace_items
from studio.web.trace.markdown import render_markdown
from tests.web.trace.trace_support import Elements, Recorder, render_items

ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div onclick="alert(1)" style="background:url(javascript:alert(1))">raw html</div>',
    "![x](javascript:alert(1))",
    '![x" onerror="alert(1)](https://example.com/a.png)',
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


def assert_inert(html: str) -> None:
    elements = Elements(html)
    tags = [tag for tag, _ in elements.tags]
    assert "script" not in tags and "iframe" not in tags and "svg" not in tags and "img" not in tags
    for _, attrs in elements.tags:
        assert not [name for name in attrs if name.startswith("on")], attrs
        assert "style" not in attrs or "url(" not in (attrs["style"] or "")
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), attrs


@pytest.mark.parametrize("text", ATTACKS)
def test_render_markdown_makes_attacks_inert(text: str) -> None:
    assert_inert(str(render_markdown(text)))


@pytest.mark.parametrize("text", ATTACKS)
def test_a_reply_with_an_attack_renders_inert_in_the_trace(text: str) -> None:
    recorder = Recorder()
    recorder.add(TextMessage(source="writer", content=f"Here you go:\n\n{text}\n\n**done**"))
    html = render_items(trace_items(recorder.events))
    assert_inert(html)
    assert "<strong>done</strong>" in html  # formatting around the attack survives


def test_code_blocks_and_formatting_are_kept() -> None:
    html = str(render_markdown("# Plan\n\n```python\nprint('<b>')\n```\n\nUse `x` and **bold**, [docs](https://example.com)."))
    assert '<pre><code class="language-python">print(\'&lt;b&gt;\')' in html
    assert "<code>x</code>" in html and "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">docs</a>' in html


def test_single_line_breaks_are_kept_as_in_chat() -> None:
    assert str(render_markdown("line one\nline two")) == "<p>line one<br>\nline two</p>\n"  # a haiku keeps its lines


def test_line_breaks_leave_code_blocks_and_lists_alone() -> None:
    html = str(render_markdown("Steps:\n- one\n- two\n\n```\na = 1\nb = 2\n```"))
    assert "<p>Steps:</p>" in html and "<li>one</li>\n<li>two</li>" in html
    assert "<pre><code>a = 1\nb = 2\n</code></pre>" in html and html.count("<br>") == 0


def test_markdown_images_become_links_that_load_nothing() -> None:
    html = str(render_markdown("![chart](https://example.com/chart.png)"))
    assert "<img" not in html
    assert '<a href="https://example.com/chart.png" rel="noopener noreferrer nofollow">image: chart</a>' in html


def test_tables_render() -> None:
    html = str(render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |"))
    assert "<table>" in html and '<td style="text-align:right">2</td>' in html


PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_multimodal_images_only_as_image_data_uris() -> None:
    recorder = Recorder()
    message = MultiModalMessage(source="user", content=["Look: <script>x</script>", {"data": PNG_B64}])
    recorder.add(message)
    data = message.dump()
    # Things pretending to be images: SVG (can script), HTML, a remote URL, non-base64 text.
    svg = "PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIj48L3N2Zz4="
    data["content"] = [*data["content"], {"data": svg, "mime": "image/svg+xml"}, {"data": svg},
                       {"data": "data:text/html;base64,PHNjcmlwdD4="}, {"data": "https://evil.example/x.png"},
                       {"data": PNG_B64, "mime": "text/html"}, {"data": f'{PNG_B64}" onerror="alert(1)'}]
    recorder.events[0].data = data
    html = render_items(trace_items(recorder.events))
    images = [attrs for tag, attrs in Elements(html).tags if tag == "img"]
    assert [img["src"] for img in images] == [f"data:image/png;base64,{PNG_B64}"]
    assert html.count("attachment not shown") == 6
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert_no_active(html)


def assert_no_active(html: str) -> None:
    for tag, attrs in Elements(html).tags:
        assert tag != "script"
        assert not [name for name in attrs if name.startswith("on")]
