"""Headless Chromium (Debian's `chromium` and `chromium-driver`) driven by Selenium.

Selenium's calls block, so each goes to a thread: the test's event loop keeps serving the app
meanwhile. Telegram's script is not reachable offline: `telegram.org` resolves nowhere, and
the test double (telegram_double.js) is put in every page before the page's own scripts run,
the way Telegram's script would be.
"""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DOUBLE = Path(__file__).with_name("telegram_double.js")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = (360, 780)

LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#3390ec",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f4f4f5",
    "header_bg_color": "#ffffff",
    "accent_text_color": "#3390ec",
    "section_bg_color": "#ffffff",
    "section_header_text_color": "#3390ec",
    "subtitle_text_color": "#707579",
    "destructive_text_color": "#e53935",
}
DARK = {
    "bg_color": "#212121",
    "text_color": "#ffffff",
    "hint_color": "#aaaaaa",
    "link_color": "#8774e1",
    "button_color": "#8774e1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#0f0f0f",
    "header_bg_color": "#212121",
    "accent_text_color": "#8774e1",
    "section_bg_color": "#212121",
    "section_header_text_color": "#aaaaaa",
    "subtitle_text_color": "#aaaaaa",
    "destructive_text_color": "#e53935",
}


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing: apt-get install -y chromium chromium-driver"
    return None


def launch_url(base: str, init_data: str | None, *, theme: dict[str, str], query: str = "") -> str:
    """The page's URL as Telegram opens it: launch parameters in the hash."""
    url = f"{base}/app/{query}"
    if init_data is None:
        return url
    hash_params = "&".join(
        (
            f"tgWebAppData={quote(init_data, safe='')}",
            "tgWebAppVersion=8.0",
            "tgWebAppPlatform=tdesktop",
            f"tgWebAppThemeParams={quote(json.dumps(theme), safe='')}",
        )
    )
    return f"{url}#{hash_params}"


class Browser:
    """One Chromium at phone width; every call runs in a thread."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="newsbot-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in (
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={self.profile}",
            f"--window-size={PHONE[0]},{PHONE[1]}",
            # Telegram's own script cannot load offline: fail at once instead of waiting.
            "--host-resolver-rules=MAP telegram.org ~NOTFOUND",
        ):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        self.driver.set_page_load_timeout(30)
        self.cdp("Page.enable", {})
        self.cdp("Page.addScriptToEvaluateOnNewDocument", {"source": DOUBLE.read_text("utf-8")})
        width, height = PHONE
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True},
        )

    def cdp(self, command: str, params: dict[str, Any]) -> Any:
        """A DevTools protocol command."""
        return self.driver.execute_cdp_cmd(command, params)

    def close(self) -> None:
        """Quit Chromium and remove its profile."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    # -- async wrappers -------------------------------------------------------------------
    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking Selenium call in a thread."""
        return await asyncio.to_thread(fn, *args)

    async def open(self, url: str, dark: bool = False) -> None:
        """Load a page (a new document: the double reads the launch parameters again)."""
        scheme = "dark" if dark else "light"
        await self.call(
            self.cdp,
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": scheme}]},
        )
        await self.call(self.driver.get, "about:blank")
        await self.call(self.driver.get, url)

    async def js(self, script: str, *args: Any) -> Any:
        """Run JavaScript in the page and return its value."""
        return await self.call(self.driver.execute_script, script, *args)

    async def wait(self, check: str, what: str, seconds: float = 20.0) -> Any:
        """Wait until a JavaScript expression is truthy; return its value."""
        deadline = time.monotonic() + seconds
        while True:
            value = await self.js(f"return ({check});")
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await asyncio.sleep(0.05)

    async def click(self, selector: str) -> None:
        """Click the first element matching a CSS selector (as a finger would)."""
        from selenium.webdriver.common.by import By

        def tap() -> None:
            element = self.driver.find_element(By.CSS_SELECTOR, selector)
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
            element.click()

        await self.call(tap)

    async def text(self, selector: str) -> str:
        """The visible text of the first element matching a selector."""
        value = await self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;",
            selector,
        )
        if value is None:
            raise AssertionError(f"nothing matches {selector!r}")
        return str(value)

    async def screenshot(self, name: str) -> Path:
        """Save the whole page (not only the viewport) as artifacts/screenshots/<name>.png."""

        def shoot() -> bytes:
            # From the top, without the "saved" toast floating over the middle of the page.
            self.driver.execute_script(
                "window.scrollTo(0, 0); "
                "document.getElementById('toast')?.classList.remove('show');"
            )
            time.sleep(0.3)  # the toast's fade
            height = self.driver.execute_script(
                "return Math.max(document.documentElement.scrollHeight, window.innerHeight);"
            )
            shot = self.cdp(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": 0, "width": PHONE[0], "height": height, "scale": 1},
                },
            )
            return base64.b64decode(shot["data"])

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        path.write_bytes(await self.call(shoot))
        return path
