"""User-written markdown (version notes) becomes safe HTML."""

import pytest

from gamefactory.markup import markdown_to_html


def test_markdown_is_rendered():
    html = markdown_to_html(
        "# Space 1.0\n\nFirst **release**:\n\n- 10 levels\n- `web.zip`\n\n[Play](https://example.com/g)"
    )
    assert "<h1>Space 1.0</h1>" in html and "<strong>release</strong>" in html
    assert "<li>10 levels</li>" in html and "<code>web.zip</code>" in html
    assert '<a href="https://example.com/g" rel="nofollow noopener noreferrer">Play</a>' in html


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript'),
        ("![tracker](https://evil.example/p.gif)", "<img"),
        ('<a href="https://x" onclick="steal()">x</a>', '<a href="https://x" onclick'),
        ("<iframe src=https://evil.example></iframe>", "<iframe"),
    ],
)
def test_markdown_cannot_carry_scripts_frames_or_images(source, forbidden):
    # raw HTML stays visible as text (escaped), never as markup
    assert forbidden not in markdown_to_html(source)


def test_nothing_renders_as_nothing():
    assert markdown_to_html("") == ""
