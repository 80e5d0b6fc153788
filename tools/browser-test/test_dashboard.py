#!/usr/bin/env python3
"""The dashboard's browser test: a real `strata serve` driven through headless Chromium.

Starts `strata serve` (with --token) on a temporary database and strategies folder (the example
strategies plus fixtures/xss_probe.lua) on a free port, then walks the dashboard the way a person
would: the list (filter, sort), an instance's detail view (widgets that update, the config form
with browser and server validation, mode changes with the confirmation dialog), the create form,
the hostile instances (no payload may execute or become an element), an order's why panel, a
backtest and optimizations (optimize_steps.py), risk limits and the kill switch (risk_steps.py),
accounts and the Performance panel (account_steps.py), and the list and a Performance panel over
10,000 instances (timed). Screenshots go to tools/browser-test/out/. Exits non-zero on any failure and
always stops the server.

Usage: tools/browser-test/run.sh  (or: python test_dashboard.py --bin .build/debug/strata)
       STRATA_DASHBOARD=Sources/StrataHTTP/Dashboard tools/browser-test/run.sh  (the dashboard's files
       from that folder, `strata serve --dashboard`, instead of the copy built into the binary)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, TimeoutError as PlaywrightTimeout, expect, sync_playwright

from optimize_steps import optimize_steps
from risk_steps import risk_steps
from account_steps import account_steps, performance_bulk_steps

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "out"
TOKEN = "browser-test-token"
BULK = 10_000

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
SVG = "<svg onload=window.__xss=1>"

# Runs before any page script: records CSP violations (an inline script, handler or style that
# the policy blocked means something tried to run or was written as HTML) and JS dialogs.
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

# What a widget area looks like right now: its text plus the pixels of its canvases.
WIDGET_SIGNATURE = """
() => Array.from(document.querySelectorAll('[data-testid=widget]')).map((w) =>
  w.textContent + Array.from(w.querySelectorAll('canvas')).map((c) => c.toDataURL()).join(',')).join('|')
"""

# Elements a payload would have created if any strategy text had been parsed as HTML.
INJECTED_ELEMENTS = """
() => {
  const found = [];
  for (const el of document.querySelectorAll('img[onerror], svg[onload], [onload], [onerror], img[src="x"], svg')) {
    found.push(el.outerHTML.slice(0, 120));
  }
  for (const s of document.querySelectorAll('script')) {
    if (!s.src || new URL(s.src).origin !== location.origin) found.push(s.outerHTML.slice(0, 120));
  }
  return found;
}
"""


class Failure(Exception):
    """A failed check, with a message for the person reading the output."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)


# --- the server ------------------------------------------------------------------------------

class Server:
    """`strata serve` on a temporary database and strategies folder; stop() always kills it."""

    def __init__(self, binary: Path, workdir: Path, db: str | None = None, extra: list[str] | None = None,
                 log_name: str = "server.log"):
        self.binary = binary
        self.workdir = workdir
        self.db = db or workdir / "strata.db"
        self.extra = extra or []
        self.strategies = workdir / "strategies"
        self.log_path = OUT / log_name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.strategies.mkdir(exist_ok=True)
        for script in sorted((ROOT / "strategies-lua").glob("*.lua")):
            shutil.copy(script, self.strategies)
        # The shared modules the examples require.
        shutil.copytree(ROOT / "strategies-lua" / "lib", self.strategies / "lib", dirs_exist_ok=True)
        shutil.copy(HERE / "fixtures" / "xss_probe.lua", self.strategies)
        # Edited dashboard files can be tested without rebuilding the binary that embeds them.
        dashboard = os.environ.get("STRATA_DASHBOARD")
        served = ["--dashboard", str(Path(dashboard).resolve())] if dashboard else []
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [str(self.binary), "serve", "--db", str(self.db), "--strategies", str(self.strategies),
             "--host", "127.0.0.1", "--port", str(self.port), "--token", TOKEN, "--snapshot-interval", "1",
             "--data-dir", str(ROOT / "data"), *served, *self.extra],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=self.workdir, start_new_session=True)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"strata serve exited with {self.process.returncode} before answering:\n{self.log_tail()}")
            try:
                status, _, _ = self.request("GET", "/api/instances?limit=1")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise Failure(f"strata serve did not answer on {self.base} within 40 s:\n{self.log_tail()}")

    def request(self, method: str, path: str, body: object = None, token: str | None = TOKEN,
                timeout: float = 10) -> tuple[int, dict, object]:
        """One API call; returns (status, headers, decoded JSON or text)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, headers, raw = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as error:
            status, headers, raw = error.code, dict(error.headers), error.read()
        text = raw.decode("utf-8", "replace")
        try:
            return status, headers, json.loads(text) if text else None
        except json.JSONDecodeError:
            return status, headers, text

    def api(self, method: str, path: str, body: object = None, expect_status: int = 200) -> object:
        status, _, payload = self.request(method, path, body)
        check(status == expect_status, f"{method} {path}: expected {expect_status}, got {status}: {payload}")
        return payload

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, message: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise Failure(f"{message} (waited {timeout:g} s; last: {last!r})")


# --- the run -----------------------------------------------------------------------------------

class Run:
    def __init__(self, server: Server, page: Page):
        self.server = server
        self.page = page
        self.passed: list[str] = []
        self.failed: list[str] = []
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.console_errors: list[str] = []
        self.screenshots: list[Path] = []
        self.timings: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._on_console)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message) -> None:
        # A 4xx answer is logged by Chromium as "Failed to load resource"; the dashboard expects
        # some (409 for an instance that is not running, 422 for the invalid config we send).
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.console_errors.append(message.text)

    @contextmanager
    def step(self, name: str):
        started = time.monotonic()
        try:
            yield
        except (Failure, PlaywrightTimeout, AssertionError) as error:
            self.failed.append(name)
            print(f"FAIL  {name}: {error}", flush=True)
            self.shot(f"failure-{len(self.failed)}")
            raise
        self.passed.append(name)
        print(f"ok    {name} ({time.monotonic() - started:.1f} s)", flush=True)

    def shot(self, name: str, full_page: bool = False) -> Path:
        path = OUT / f"{name}.png"
        try:
            # A sticky header would be stitched into the middle of a scrolled page, and toasts
            # of earlier steps would cover the view.
            self.page.evaluate("() => { window.scrollTo(0, 0); document.getElementById('toasts')?.replaceChildren(); }")
            self.page.screenshot(path=str(path), full_page=full_page)
            self.screenshots.append(path)
        except Exception as error:  # a screenshot must never hide the real failure
            print(f"      (screenshot {name} failed: {error})")
        return path

    def url(self, hash_path: str) -> str:
        return f"{self.server.base}/{hash_path}"

    def go(self, hash_path: str) -> None:
        """Navigates inside the app the way a link does (the router reacts to the hash)."""
        self.page.evaluate("(h) => { location.hash = h; }", hash_path)

    def assert_clean(self, where: str) -> None:
        """No payload ran or became an element, no dialog, no CSP violation, no script error."""
        page = self.page
        check(page.evaluate("() => typeof window.__xss") == "undefined", f"{where}: a payload ran (window.__xss is set)")
        injected = page.evaluate(INJECTED_ELEMENTS)
        check(not injected, f"{where}: strategy text became elements: {injected}")
        violations = page.evaluate("() => window.__cspViolations || []")
        check(not violations, f"{where}: Content-Security-Policy violations: {violations}")
        check(not self.dialogs, f"{where}: a JavaScript dialog fired: {self.dialogs}")
        check(not self.page_errors, f"{where}: uncaught script errors: {self.page_errors}")
        check(not self.console_errors, f"{where}: console errors: {self.console_errors}")


def instance_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("[data-testid=instance-row]", "(rows) => rows.map((r) => r.dataset.id)")


def scenario(run: Run) -> None:
    server, page = run.server, run.page

    with run.step("server answers; the API refuses a request without the token"):
        status, _, _ = server.request("GET", "/api/instances", token=None)
        check(status == 401, f"GET /api/instances without a token: expected 401, got {status}")
        status, headers, _ = server.request("GET", "/vendor/chart.js/chart.mjs")
        check(status == 200, f"GET /vendor/chart.js/chart.mjs: expected 200, got {status}")
        csp = {k.lower(): v for k, v in headers.items()}.get("content-security-policy", "")
        check("script-src 'self'" in csp, f"responses must carry the CSP header, got {csp!r}")
        wait_until(lambda: any(s["strategy_type"] == "xss_probe" and s.get("version")
                               for s in server.api("GET", "/api/strategies")["strategies"]),
                   20, "the xss_probe fixture strategy never loaded")

    with run.step("hostile instances created through the API"):
        body = {"id": "xss-probe", "strategy_type": "xss_probe", "account": "paper", "market": IMG, "mode": "observe"}
        status, _, payload = server.request("POST", "/api/instances", body)
        if status != 201:  # a server may refuse markup in a market name; the rest still carries payloads
            print(f"      (market with markup refused: {status} {payload}; using XSS/USD)")
            body["market"] = "XSS/USD"
            server.api("POST", "/api/instances", body, expect_status=201)
        server.api("POST", "/api/instances", {
            "id": "xss-errors", "strategy_type": "xss_probe", "account": "paper", "market": "XSS/USD",
            "mode": "observe", "config": {"fail_render": True, "fail_after": 25}}, expect_status=201)

    with run.step("the token opens the dashboard (cookie, redirect to /)"):
        page.goto(f"{server.base}/?token={TOKEN}")
        page.wait_for_url(re.compile(r"^[^?]*/(#.*)?$"), timeout=10_000)
        expect(page.locator("[data-testid=instance-row]").first).to_be_visible(timeout=10_000)

    with run.step("list: rows, columns, filter, sort"):
        rows = page.locator("[data-testid=instance-row]")
        expect(rows.filter(has_text="demo-sma-btc")).to_have_count(1)
        headers = page.eval_on_selector_all("[data-testid=instances-table] thead th", "(ths) => ths.map((t) => t.textContent.replace(/[▲▼]/g, '').trim())")
        check(headers == ["ID", "Strategy type", "Market", "Account", "Mode", "Status", "Ticks", "PnL", "Return", "Max drawdown"],
              f"list columns: {headers}")
        row = rows.filter(has_text="demo-sma-btc")
        expect(row).to_contain_text("sma_cross")
        expect(row).to_contain_text("BTC/USD")
        expect(row).to_contain_text("paper")
        # Text search (server-side, q=).
        page.fill("#f-q", "bollinger")
        wait_until(lambda: instance_ids(page) == ["demo-bollinger-eth"], 5, "search 'bollinger' did not narrow the list")
        page.fill("#f-q", "")
        # Mode filter.
        page.select_option("#f-mode", "active")
        wait_until(lambda: instance_ids(page) == ["demo-bollinger-eth"], 5, "mode=active did not filter the list")
        page.click("[data-testid=filter-clear]")
        wait_until(lambda: len(instance_ids(page)) >= 5, 5, "clearing the filters did not bring the rows back")
        # Status filter: xss-errors fails on its third tick; the list refreshes by itself.
        page.select_option("#f-status", "error")
        wait_until(lambda: instance_ids(page) == ["xss-errors"], 15, "status=error did not show (only) the failed instance")
        expect(page.locator("[data-testid=instance-row][data-id=xss-errors] .badge.state-error")).to_have_text("error")
        page.click("[data-testid=filter-clear]")
        # Type filter.
        page.select_option("#f-type", "xss_probe")
        wait_until(lambda: sorted(instance_ids(page)) == ["xss-errors", "xss-probe"], 5, "strategy_type filter")
        page.click("[data-testid=filter-clear]")
        # Sort by ID, descending on the second click.
        wait_until(lambda: len(instance_ids(page)) >= 5, 5, "rows after clearing")
        before = instance_ids(page)
        check(before == sorted(before), f"default sort is by id ascending: {before}")
        page.click("[data-testid=sort-id]")
        wait_until(lambda: instance_ids(page) == sorted(before, reverse=True), 5, "sort by id descending")
        check(page.get_attribute("[data-testid=instances-table] th[aria-sort]", "aria-sort") == "descending", "aria-sort on the sorted header")
        page.click("[data-testid=sort-id]")
        wait_until(lambda: instance_ids(page) == before, 5, "sort by id ascending again")
        run.shot("list")
        run.assert_clean("list")

    with run.step("detail: open an instance, its widgets update"):
        page.click("[data-testid=instance-row][data-id=demo-sma-btc] [data-testid=instance-link]")
        expect(page.locator("[data-testid=detail-id]")).to_have_text("demo-sma-btc")
        expect(page.locator("[data-testid=identity]")).to_contain_text("sma_cross")
        expect(page.locator("[data-testid=widget]").first).to_be_visible(timeout=15_000)
        page.wait_for_selector("[data-testid=widget] canvas", timeout=10_000)
        page.wait_for_timeout(300)
        first = page.evaluate(WIDGET_SIGNATURE)
        wait_until(lambda: page.evaluate(WIDGET_SIGNATURE) != first, 10, "the widgets did not change between two observations", interval=0.3)
        expect(page.locator("[data-testid=status-version]")).not_to_have_text("—")

    with run.step("detail: render() is polled at most a few times a second"):
        ui_requests: list[float] = []
        listener = lambda request: ui_requests.append(time.monotonic()) if request.url.endswith("/ui") else None
        page.on("request", listener)
        page.wait_for_timeout(3000)
        page.remove_listener("request", listener)
        check(2 <= len(ui_requests) <= 9, f"expected 1–3 render requests a second while open, got {len(ui_requests)} in 3 s")

    with run.step("config: the browser refuses an out-of-range value without asking the server"):
        config_requests: list[str] = []
        page.on("request", lambda request: config_requests.append(request.method) if request.url.endswith("/config") else None)
        page.fill("#cfg-fast", "600")
        page.click("[data-testid=config-save]")
        expect(page.locator("[data-testid=error-fast]")).to_be_visible()
        expect(page.locator("[data-testid=error-fast]")).to_contain_text("at most 500")
        page.wait_for_timeout(300)
        check(config_requests == [], f"an invalid form must not be sent, saw {config_requests}")

    with run.step("config: the server's field error shows next to the field"):
        # Bypass the browser's check (drop the max attribute) so that the server judges the value.
        page.evaluate("() => document.getElementById('cfg-fast').removeAttribute('max')")
        page.fill("#cfg-fast", "600")
        with page.expect_response(lambda r: r.url.endswith("/config") and r.request.method == "PATCH") as info:
            page.click("[data-testid=config-save]")
        check(400 <= info.value.status < 500, f"PATCH config with fast=600: expected 4xx, got {info.value.status}")
        error = page.locator("[data-testid=error-fast]")
        expect(error).to_be_visible()
        server_message = next((e["message"] for e in info.value.json()["errors"] if e["field"] in ("fast", "config.fast")), None)
        check(server_message is not None, f"the server's answer names no 'fast' field: {info.value.json()}")
        expect(error).to_have_text(server_message)
        expect(page.locator("[data-testid=config-status]")).to_have_attribute("data-state", "error")
        check(server.api("GET", "/api/instances/demo-sma-btc")["config"].get("fast", 10) == 10, "the refused config was stored")

    with run.step("config: a config the script refuses on its trial run shows the script's error"):
        # fast=40 passes the schema (max 500) but sma_cross's init() wants fast < slow (30).
        page.fill("#cfg-fast", "40")
        with page.expect_response(lambda r: r.url.endswith("/config") and r.request.method == "PATCH") as info:
            page.click("[data-testid=config-save]")
        check(info.value.status == 422, f"PATCH config with fast=40: expected 422, got {info.value.status}")
        form_error = page.locator("[data-testid=config-error]")
        expect(form_error).to_be_visible()
        expect(form_error).to_contain_text("must be shorter than slow window")
        expect(page.locator("[data-testid=config-error-traceback]")).to_contain_text("stack traceback")
        expect(page.locator("[data-testid=config-status]")).to_have_attribute("data-state", "error")
        check(server.api("GET", "/api/instances/demo-sma-btc")["config"].get("fast", 10) == 10, "the refused config was stored")

    with run.step("config: a valid change is saved"):
        page.fill("#cfg-fast", "12")
        page.click("[data-testid=config-save]")
        expect(page.locator("[data-testid=config-status]")).to_have_attribute("data-state", "saved")
        expect(page.locator("[data-testid=error-fast]")).to_be_hidden()
        check(server.api("GET", "/api/instances/demo-sma-btc")["config"]["fast"] == 12, "config.fast is not 12 on the server")
        page.click("[data-testid=tab-audit]")
        expect(page.locator("[data-testid=audit-table]")).to_contain_text("config", timeout=5_000)
        expect(page.locator("[data-testid=audit-table]")).to_contain_text("api")

    with run.step("mode: off at once, active only after the dialog"):
        page.click("[data-testid=mode-off]")
        expect(page.locator("[data-testid=mode-off]")).to_have_attribute("aria-pressed", "true")
        wait_until(lambda: server.api("GET", "/api/instances/demo-sma-btc")["mode"] == "off", 5, "mode off not stored")
        expect(page.locator("[data-testid=not-running]")).to_be_visible(timeout=10_000)
        # Active asks first; cancelling changes nothing.
        page.click("[data-testid=mode-active]")
        expect(page.locator("#confirm-dialog")).to_be_visible()
        expect(page.locator("#confirm-title")).to_contain_text("demo-sma-btc")
        page.click("#confirm-cancel")
        expect(page.locator("#confirm-dialog")).to_be_hidden()
        page.wait_for_timeout(300)
        check(server.api("GET", "/api/instances/demo-sma-btc")["mode"] == "off", "cancelling the dialog changed the mode")
        page.click("[data-testid=mode-active]")
        page.click("#confirm-ok")
        expect(page.locator("[data-testid=mode-active]")).to_have_attribute("aria-pressed", "true")
        check(server.api("GET", "/api/instances/demo-sma-btc")["mode"] == "active", "mode active not stored")
        expect(page.locator("[data-testid=widget]").first).to_be_visible(timeout=15_000)
        page.wait_for_selector("[data-testid=widget] canvas", timeout=10_000)
        run.assert_clean("detail")

    with run.step("leaving the detail view stops its polling"):
        page.click("[data-testid=back-to-list]")
        expect(page.locator("[data-testid=instances-table]")).to_be_visible()
        ui_requests = []
        listener = lambda request: ui_requests.append(request.url) if "/ui" in request.url or "/api/events" in request.url else None
        page.on("request", listener)
        page.wait_for_timeout(2500)
        page.remove_listener("request", listener)
        check(ui_requests == [], f"the closed detail view still requests: {ui_requests}")

    with run.step("backtest: run the instance on a sample file, see its result, open its report"):
        run.go("#/instances/demo-sma-btc")
        panel = page.locator("[data-testid=backtest-panel]")
        expect(panel).to_be_visible(timeout=10_000)
        page.wait_for_selector("[data-testid=backtest-data] option[value='GOOG.csv']", state="attached")
        page.select_option("[data-testid=backtest-data]", "GOOG.csv")
        page.fill("[data-testid=backtest-cash]", "10000")
        page.fill("[data-testid=backtest-fee]", "5")
        page.click("[data-testid=backtest-run]")
        expect(page.locator("[data-testid=backtest-status]")).to_have_text("done", timeout=60_000)
        expect(page.locator("[data-testid=backtest-summary] dd[data-key=trades]")).not_to_have_text("—")
        expect(page.locator("[data-testid=backtest-summary] dd[data-key=return]")).to_contain_text("%")
        check(page.locator("[data-testid=backtest-trades] tbody tr").count() >= 1, "no trade rows")
        expect(page.locator("[data-testid=backtest-chart] canvas")).to_be_visible()
        expect(page.locator("[data-testid=backtest-history] tbody tr[data-run]").first).to_be_visible()
        runs = server.api("GET", "/api/backtests?instance_id=demo-sma-btc")["backtests"]
        check(runs and runs[0]["status"] == "done" and runs[0]["parameters"]["fee_bps"] == 5, f"the stored run: {runs[:1]}")
        page.locator("#backtest").scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        path = OUT / "backtest.png"
        page.locator("#backtest").screenshot(path=str(path))
        run.screenshots.append(path)
        with page.context.expect_page() as opened:
            page.click("[data-testid=backtest-report]")
        report = opened.value
        report.wait_for_load_state()
        check("/api/backtests/" in report.url and report.url.endswith("/report"), f"the report link opened {report.url}")
        check(report.locator("svg").count() >= 1 or report.locator("table").count() >= 1, "the report shows no chart or table")
        path = OUT / "backtest-report.png"
        report.screenshot(path=str(path), full_page=True)
        run.screenshots.append(path)
        report.close()
        run.assert_clean("backtest")

    optimize_steps(run, check=check, wait_until=wait_until, payloads=(IMG, SCRIPT, SVG))
    risk_steps(run, check=check, wait_until=wait_until)
    account_steps(run, check=check, wait_until=wait_until, payloads=(IMG, SCRIPT, SVG))

    with run.step("create: an instance through the form; a taken id is refused next to the field"):
        page.click("[data-testid=nav-new]")
        page.wait_for_selector("#new-type option[value=sma_cross]", state="attached")
        types = page.eval_on_selector_all("#new-type option", "(os) => os.map((o) => o.value).filter(Boolean)")
        check("sma_cross" in types and "xss_probe" in types, f"strategy types offered: {types}")
        page.select_option("#new-type", "sma_cross")
        expect(page.locator("#new-cfg-fast")).to_be_visible()
        page.fill("#new-id", "browser-made")
        page.fill("#new-market", "BTC/USD")
        page.select_option("#new-mode", "observe")
        page.fill("#new-cfg-slow", "40")
        page.click("[data-testid=create-submit]")
        page.wait_for_url(re.compile(r"#/instances/browser-made$"), timeout=10_000)
        expect(page.locator("[data-testid=detail-id]")).to_have_text("browser-made")
        created = server.api("GET", "/api/instances/browser-made")
        check(created["mode"] == "observe" and created["config"]["slow"] == 40, f"created instance: {created['mode']} {created['config']}")
        # The same id again: the server's conflict shows at the id field.
        page.click("[data-testid=nav-new]")
        page.wait_for_selector("#new-type option[value=sma_cross]", state="attached")
        page.select_option("#new-type", "sma_cross")
        page.fill("#new-id", "browser-made")
        page.fill("#new-market", "BTC/USD")
        page.click("[data-testid=create-submit]")
        expect(page.locator("[data-testid=error-id]")).to_be_visible()
        check(page.url.endswith("#/new"), f"a refused create must stay on the form, at {page.url}")

    with run.step("hostile strategy: widgets, labels and logs stay text"):
        run.go("#/instances/xss-probe")
        expect(page.locator("[data-testid=detail-id]")).to_have_text("xss-probe")
        expect(page.locator("[data-testid=widget]")).to_have_count(6, timeout=15_000)
        widgets = page.locator("[data-testid=widgets]")
        expect(widgets).to_contain_text(f"Title {IMG}")
        expect(widgets).to_contain_text(f"Text {SCRIPT} {SVG}")
        expect(widgets).to_contain_text(f"Value {SCRIPT}")
        expect(widgets).to_contain_text(f"Cell {SCRIPT}")
        expect(widgets).to_contain_text(re.compile(r"tick \d+ " + re.escape(IMG)))
        form = page.locator("[data-testid=config-form]")
        expect(form.locator("label[for=cfg-size]")).to_have_text(f"Size {IMG}")
        expect(form).to_contain_text(f"Help {SCRIPT}")
        check(page.input_value("#cfg-note") == SCRIPT, "the string field's value")
        check(IMG in page.eval_on_selector_all("#cfg-pick option", "(os) => os.map((o) => o.textContent)"), "the enum option text")
        page.click("[data-testid=tab-logs]")
        expect(page.locator("[data-testid=logs-table]")).to_contain_text(f"log {SCRIPT} {IMG}", timeout=10_000)
        page.click("[data-testid=tab-signals]")
        expect(page.locator("[data-testid=signals-table]")).to_contain_text(IMG, timeout=10_000)
        run.shot("hostile", full_page=True)
        run.assert_clean("hostile instance")

    with run.step("why: an order's ticks and saved state, as text"):
        server.api("POST", "/api/instances", {"id": "xss-active", "strategy_type": "xss_probe", "account": "paper",
                                              "market": "XSS/USD", "mode": "active"}, expect_status=201)

        def explained() -> bool:
            seqs = [o["tick_seq"] for o in server.api("GET", "/api/instances/xss-active/orders")["orders"] if o.get("tick_seq")]
            return bool(seqs) and server.api("GET", f"/api/instances/xss-active/why?seq={seqs[0]}")["snapshot"] is not None
        wait_until(explained, 30, "no order of xss-active has a snapshot at or before its tick")
        run.go("#/instances/xss-active")
        page.click("[data-testid=tab-orders]")
        button = page.locator("[data-testid=orders-table] [data-testid=why-button]").first
        expect(button).to_be_visible(timeout=10_000)
        seq = button.get_attribute("data-seq")
        button.click()
        expect(page.locator("[data-testid=why-panel]")).to_be_visible()
        expect(page.locator("[data-testid=why-ticks] tr.why-hit")).to_contain_text(seq, timeout=10_000)
        # The state tree: xss_probe keeps its last lines, payloads included, in state.lines.
        state = page.locator("[data-testid=why-state]")
        expect(state.locator(".json-key", has_text="lines")).to_be_visible()
        expect(state).to_contain_text("tick ")
        expect(state).to_contain_text(IMG)
        page.locator("[data-testid=why-panel]").screenshot(path=str(OUT / "why.png"))
        run.screenshots.append(OUT / "why.png")
        run.assert_clean("why panel")

    with run.step("hostile strategy: render and tick errors stay text"):
        run.go("#/instances/xss-errors")
        expect(page.locator("[data-testid=detail-id]")).to_have_text("xss-errors")
        expect(page.locator("[data-testid=last-error]")).to_be_visible(timeout=15_000)
        expect(page.locator("[data-testid=last-error-message]")).to_contain_text(f"tick failed {IMG} {SCRIPT}")
        expect(page.locator("[data-testid=last-error-traceback]")).to_contain_text("xss_probe")
        check(page.evaluate("() => document.querySelector('[data-testid=last-error-traceback]').tagName") == "PRE", "traceback in a <pre>")
        expect(page.locator("[data-testid=detail-state]")).to_have_text("error")
        run.assert_clean("hostile errors")

    with run.step("hostile strategy: the render error shows as text"):
        # xss-errors fails on its third tick; a fresh instance in the same state renders first.
        server.api("POST", "/api/instances", {"id": "xss-render", "strategy_type": "xss_probe", "account": "paper",
                                              "market": "XSS/USD", "mode": "observe", "config": {"fail_render": True}}, expect_status=201)
        run.go("#/instances/xss-render")
        expect(page.locator("[data-testid=render-error]")).to_be_visible(timeout=15_000)
        expect(page.locator("[data-testid=render-error-message]")).to_contain_text(f"render failed {IMG} {SCRIPT}")
        run.assert_clean("render error")

    with run.step("hostile strategy: strategies view and create form stay text"):
        page.click("[data-testid=nav-strategies]")
        row = page.locator("[data-testid=strategy-row][data-type=xss_probe]")
        expect(row).to_contain_text(f"Size {IMG}")
        page.click("[data-testid=nav-new]")
        page.wait_for_selector("#new-type option[value=xss_probe]", state="attached")
        page.select_option("#new-type", "xss_probe")
        expect(page.locator("label[for=new-cfg-loud]")).to_have_text(f"Loud {SCRIPT}")
        run.assert_clean("strategies and create form")

    with run.step("detail screenshot of a long-running demo instance"):
        run.go("#/instances/demo-breakout-btc")
        expect(page.locator("[data-testid=detail-id]")).to_have_text("demo-breakout-btc")
        expect(page.locator("[data-testid=widget][data-widget-type=candles] canvas")).to_be_visible(timeout=15_000)
        page.click("[data-testid=tab-signals]")
        page.wait_for_timeout(1500)  # a render or two, and the history tables
        run.shot("detail", full_page=True)
        run.assert_clean("detail screenshot")

    with run.step("shadow: refused config at the form, a running shadow beside the instance, promoted"):
        run.go("#/instances/demo-sma-btc")
        expect(page.locator("[data-testid=shadow-form]")).to_be_visible(timeout=10_000)
        page.fill("[data-testid=shadow-config]", '{"fast": 0}')
        page.click("[data-testid=shadow-start]")
        expect(page.locator("[data-testid=shadow-error]")).to_contain_text("fast", timeout=10_000)
        page.fill("[data-testid=shadow-config]", '{"fast": 3}')
        page.click("[data-testid=shadow-start]")
        expect(page.locator("[data-testid=shadow-state]")).to_have_text("running", timeout=15_000)
        expect(page.locator("[data-testid=shadow-widgets] [data-testid=widget]").first).to_be_visible(timeout=15_000)
        expect(page.locator("[data-testid=shadow-decisions]")).to_be_visible()
        expect(page.locator("[data-testid=shadow-live-decisions]")).to_be_visible()
        shown = server.api("GET", "/api/instances/demo-sma-btc/shadow")
        check(shown["config"].get("fast") == 3 and shown["status"] == "running", f"the shadow the API shows: {shown}")
        run.shot("shadow", full_page=True)
        page.click("[data-testid=shadow-promote]")
        page.click("#confirm-ok")
        expect(page.locator("[data-testid=shadow-form]")).to_be_visible(timeout=15_000)
        wait_until(lambda: server.api("GET", "/api/instances/demo-sma-btc")["config"].get("fast") == 3, 10, "promotion did not change the config")
        audit = [entry["field"] for entry in server.api("GET", "/api/instances/demo-sma-btc/audit")["audit"]]
        check("promote" in audit, f"the promotion is audited: {audit}")
        run.assert_clean("shadow")

    with run.step(f"list over {BULK:,} instances: load time"):
        insert_bulk(server, BULK)
        total = server.api("GET", "/api/instances?limit=1")["total"]
        check(total >= BULK, f"the API counts {total} instances after the insert")
        fresh = page.context.new_page()
        fresh.on("pageerror", lambda error: run.page_errors.append(str(error)))
        started = time.perf_counter()
        fresh.goto(f"{server.base}/#/")
        fresh.wait_for_function("(n) => Number(document.querySelector('[data-testid=list-range]')?.dataset.total) >= n "
                                "&& document.querySelectorAll('[data-testid=instance-row]').length === 100", arg=BULK, timeout=15_000)
        load_s = time.perf_counter() - started
        next_frame = "() => new Promise((resolve) => requestAnimationFrame(() => resolve(true)))"
        started = time.perf_counter()
        with fresh.expect_response(lambda r: "/api/instances?" in r.url and "sort=pnl" in r.url):
            fresh.click("[data-testid=sort-pnl]")
        fresh.wait_for_function(next_frame)
        sort_s = time.perf_counter() - started
        check(fresh.get_attribute("[data-testid=instances-table] th[aria-sort]", "aria-sort") == "ascending", "sorted by PnL")
        started = time.perf_counter()
        fresh.click("[data-testid=page-last]")
        fresh.wait_for_function("(n) => document.querySelector('[data-testid=list-range]').textContent.startsWith((Math.floor((n - 1) / 100) * 100 + 1).toLocaleString('en-US'))",
                                arg=total, timeout=15_000)
        last_s = time.perf_counter() - started
        started = time.perf_counter()
        fresh.fill("#f-q", "bulk-0999")
        fresh.wait_for_function("() => { const ids = Array.from(document.querySelectorAll('[data-testid=instance-row]')).map((r) => r.dataset.id);"
                                " return ids.length > 0 && ids.every((id) => id.startsWith('bulk-0999')); }", timeout=15_000)
        search_s = time.perf_counter() - started - 0.25  # the search box waits 250 ms for typing to pause
        api_started = time.perf_counter()
        server.api("GET", "/api/instances?limit=100")
        api_id_s = time.perf_counter() - api_started
        api_started = time.perf_counter()
        server.api("GET", "/api/instances?sort=pnl&order=desc&limit=100")
        api_s = time.perf_counter() - api_started
        fresh.fill("#f-q", "")
        fresh.wait_for_function("(n) => Number(document.querySelector('[data-testid=list-range]')?.dataset.total) >= n", arg=BULK, timeout=15_000)
        fresh.screenshot(path=str(OUT / "list-10k.png"))
        run.screenshots.append(OUT / "list-10k.png")
        fresh.close()
        run.timings = [
            f"first page of {total:,} instances, from navigation to 100 rows shown: {load_s * 1000:.0f} ms",
            f"sort by PnL, from the click to the sorted page drawn: {sort_s * 1000:.0f} ms",
            f"jump to the last page: {last_s * 1000:.0f} ms",
            f"search 'bulk-0999' (after the 250 ms typing pause): {max(search_s, 0) * 1000:.0f} ms",
            f"the API alone: GET /api/instances?limit=100 {api_id_s * 1000:.0f} ms, ?sort=pnl&order=desc&limit=100 {api_s * 1000:.0f} ms",
        ]
        for line in run.timings:
            print(f"      {line}")
        check(load_s < 10, f"the list took {load_s:.1f} s to show with {total:,} instances")

    performance_bulk_steps(run, check=check, wait_until=wait_until)


def cluster_scenario(run: Run, binary: Path, postgres: str) -> None:
    """Two nodes over one PostgreSQL database (the test command's throwaway server): the Nodes
    view lists both, and an instance the other node runs says so, with a link to it there."""
    page = run.page
    name = f"strata_browser_{os.getpid()}"
    admin = subprocess.run(["psql", postgres, "-qc", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
                           capture_output=True, text=True, timeout=60)
    check(admin.returncode == 0, f"creating the cluster's database failed: {admin.stderr.strip()}")
    db = postgres.rsplit("/", 1)[0] + "/" + name
    workdir = Path(tempfile.mkdtemp(prefix="strata-browser-cluster-"))
    nodes = [Server(binary, workdir, db=db, extra=["--node", node, "--no-demo", "--isolation", "none"], log_name=f"node-{node}.log")
             for node in ("a", "b")]
    try:
        for node in nodes:
            node.start()
        a, b = nodes
        with run.step("cluster: the Nodes view lists both nodes, alive, with their leases"):
            for index in range(4):
                a.api("POST", "/api/instances", {"id": f"c{index}", "strategy_type": "sma_cross", "account": "paper",
                                                  "market": "BTC/USD", "mode": "observe", "config": {}}, expect_status=201)
            wait_until(lambda: (lambda n: len(n) == 2 and all(x["alive"] for x in n) and sum(x["leases"] for x in n) == 4
                                and all(x["leases"] > 0 for x in n))(a.api("GET", "/api/nodes")["nodes"]),
                       30, "both nodes alive, holding the 4 instances between them")
            page.goto(f"{a.base}/?token={TOKEN}")
            page.wait_for_url(re.compile(r"^[^?]*/(#.*)?$"), timeout=10_000)
            run.go("#/nodes")
            expect(page.locator("[data-testid=node-row]")).to_have_count(2, timeout=10_000)
            expect(page.locator("[data-testid=node-row][data-node=a] [data-testid=node-self]")).to_be_visible()
            expect(page.locator("[data-testid=node-state]", has_text="alive")).to_have_count(2, timeout=10_000)
            leases = page.eval_on_selector_all("[data-testid=node-leases]", "(cells) => cells.map((c) => Number(c.textContent))")
            check(sum(leases) == 4 and all(n > 0 for n in leases), f"leases per node: {leases}")
            run.shot("nodes")
            run.assert_clean("nodes view")
        with run.step("cluster: an instance on the other node says where it runs, with a link there"):
            items = a.api("GET", "/api/instances?limit=100")["instances"]
            on_b = next(item["id"] for item in items if item.get("node") == "b")
            run.go(f"#/instances/{on_b}")
            link = page.locator("[data-testid=elsewhere-link]").first
            expect(link).to_be_visible(timeout=10_000)
            href = link.get_attribute("href") or ""
            check(href.startswith(b.base), f"the link goes to node b ({b.base}), not {href}")
            expect(page.locator("[data-testid=detail-node]")).to_have_text("b")
            run.shot("instance-on-other-node")
            run.assert_clean("instance on another node")
    finally:
        for node in nodes:
            node.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        subprocess.run(["psql", postgres, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True, timeout=60)


def insert_bulk(server: Server, count: int) -> None:
    """Adds `count` instances (mode off) the way an operator's SQL shell would, in one transaction."""
    sql = f"""
.timeout 15000
BEGIN IMMEDIATE;
INSERT INTO accounts (name, broker, created_at) VALUES ('paper', 'paper', strftime('%Y-%m-%d %H:%M:%f', 'now'))
  ON CONFLICT(name) DO NOTHING;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {count})
INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
SELECT printf('bulk-%05d', i),
       CASE i % 3 WHEN 0 THEN 'sma_cross' WHEN 1 THEN 'bollinger_reversion' ELSE 'breakout' END,
       'paper', CASE i % 2 WHEN 0 THEN 'BTC/USD' ELSE 'ETH/USD' END, 'off', '{{}}',
       strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now')
FROM n;
COMMIT;
"""
    result = subprocess.run(["sqlite3", str(server.db)], input=sql, text=True, capture_output=True, timeout=60)
    check(result.returncode == 0, f"sqlite3 insert failed: {result.stderr.strip()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", type=Path, default=ROOT / ".build" / "debug" / "strata", help="the strata binary")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"), help="the Chromium binary")
    parser.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    args = parser.parse_args()

    if not args.bin.is_file():
        print(f"browser-test: no strata binary at {args.bin} (build first: swift build)", file=sys.stderr)
        return 2
    if not Path(args.chromium).is_file():
        print(f"browser-test: no Chromium at {args.chromium} (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    if not shutil.which("sqlite3"):
        print("browser-test: the sqlite3 shell is missing (Debian: apt-get install sqlite3)", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="strata-browser-test-"))
    # An equity point a second, so the Performance panel has a history within the run.
    server = Server(args.bin.resolve(), workdir, extra=["--equity-interval", "1"])
    run = None
    failed = False
    try:
        print(f"browser-test: strata serve on {server.base} (database {server.db})", flush=True)
        server.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=not args.headed,
                                                 args=["--no-sandbox", "--disable-dev-shm-usage"])
            try:
                context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
                context.add_init_script(INIT_SCRIPT)
                context.set_default_timeout(10_000)
                expect.set_options(timeout=10_000)
                page = context.new_page()
                run = Run(server, page)
                scenario(run)
                postgres = os.environ.get("STRATA_TEST_POSTGRES_URL")
                if postgres:
                    cluster_scenario(run, args.bin.resolve(), postgres)
                else:
                    print("skip  cluster: STRATA_TEST_POSTGRES_URL is not set (tools/test.sh sets it)", flush=True)
            finally:
                browser.close()
    except (Failure, PlaywrightTimeout, AssertionError) as error:
        failed = True
        if run is None or not run.failed:
            print(f"FAIL  {error}")
    except Exception:
        failed = True
        traceback.print_exc()
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    if failed:
        print("\n--- server log (last lines) ---")
        print(server.log_tail())
    if run:
        for path in run.screenshots:
            print(f"screenshot: {path}")
    passed = len(run.passed) if run else 0
    failures = (len(run.failed) if run else 0) or (1 if failed else 0)
    print(f"browser-test: {passed} passed, {failures} failed ({time.monotonic() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
