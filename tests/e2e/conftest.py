"""Shared fixtures for the real-browser tests: Debian's Chromium driven by Playwright.

Every test under tests/e2e is marked `e2e` and skipped, with the reason, when Chromium is missing
(`.ci/run` installs it; locally: `apt-get install chromium`).
"""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    path = chromium_path()
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not path:
                item.add_marker(
                    pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
                )


# Module scope, not session: while Playwright runs, its event loop owns the main thread, and the
# asyncio tests that pytest-django orders after the browser tests need that thread back.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def pytest_terminal_summary(terminalreporter):
    """Name the folder the page screenshots went to (tests/e2e/test_screens.py), for the CI log."""
    from tests.e2e.test_screens import SCREENSHOTS

    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_sep("-", "e2e screenshots")
        terminalreporter.write_line(f"Page screenshots (look at them): {SCREENSHOTS.resolve()}")
