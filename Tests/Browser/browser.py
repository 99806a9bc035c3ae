"""Headless Chromium from Debian, driven by Selenium, with the checks every page gets: no
console error and no request to any origin but the page's own."""

import json
import os
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

# Selenium must not try to download a driver: the machine has Debian's.
os.environ.setdefault("SE_OFFLINE", "true")

PHONE = (390, 844)
DESKTOP = (1280, 900)


class Browser:
    def __init__(self, size=DESKTOP):
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--allow-file-access-from-files", f"--window-size={size[0]},{size[1]}", "--lang=en-GB"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_script_timeout(600)
        self.size = size
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": size == PHONE})

    def open(self, url):
        # What earlier pages logged is not this page's to answer for.
        self.driver.get_log("browser")
        self.driver.get_log("performance")
        self.driver.get(url)

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def wait_state(self, states, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            state = self.js("return document.body.dataset.state")
            if state in states:
                return state
            time.sleep(0.1)
        raise AssertionError(f"the page stayed in state {state!r}, expected one of {states}")

    def check_clean(self, origins):
        """No console error, and every request went to one of `origins` (or was a data: URL)."""
        errors = [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert not errors, f"console errors: {errors}"
        foreign = []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not url.startswith("data:") and not any(url.startswith(origin) for origin in origins):
                    foreign.append(url)
        assert not foreign, f"requests to other origins: {foreign}"

    def screenshot(self, path, full=True):
        """The whole page (or what the screen shows first), at this browser's width."""
        if not full:
            self.js("window.scrollTo(0, 0)")
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.driver.save_screenshot(str(path))
            return
        height = self.js("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": self.size[0], "height": min(int(height), 6000), "deviceScaleFactor": 1, "mobile": self.size == PHONE})
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.driver.save_screenshot(str(path))
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": self.size[0], "height": self.size[1], "deviceScaleFactor": 1, "mobile": self.size == PHONE})

    def quit(self):
        self.driver.quit()
