"""The Optimize view's steps of the dashboard's browser test (test_dashboard.py calls them after
its backtest step, on the same server and page).

- a 3 × 3 grid of sma_cross on GOOG.csv (fast 5–15 step 5, slow 20–40 step 10): a value the
  schema refuses is the server's error beside the parameters; the 9 trials finish, the table
  ranks them, the heatmap is drawn, the report opens from its link; "use these parameters"
  lands on the create form prefilled with the best trial's config and the file's market; the
  stored run reopens from its address, and again with 2 walk-forward windows (the windows table);
- an instance's "Optimize its parameters": the run is based on it and "use" starts a shadow;
- a grid of 1,000 trials: trials stream in while it runs, Cancel ends it `cancelled`;
- the hostile xss_probe strategy: its labels and enum values in the form, its trial parameters
  and trial errors in the table, stay text.

The helpers of test_dashboard.py come in as arguments (importing that script from here would
load a second copy of it, with another Failure class).
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

OUT = Path(__file__).resolve().parent / "out"

# Saturated pixels of the heatmap's canvas (its cells; the axes and labels are grey).
HEAT_PIXELS = """
() => {
  const c = document.querySelector('[data-testid=optimize-heatmap] canvas');
  if (!c || !c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 200 && (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40)) n++;
  }
  return n;
}
"""


def sweep(page: Page, settings: dict[str, tuple]) -> None:
    """Sets the parameters table: each named row swept as ("range", from, to, step) or
    ("values", "a, b"); every other row left out."""
    page.wait_for_selector("[data-testid=optimize-param]")
    names = page.eval_on_selector_all("[data-testid=optimize-param]", "(rows) => rows.map((r) => r.dataset.name)")
    missing = [name for name in settings if name not in names]
    if missing:
        raise AssertionError(f"the parameters table has no row for {missing} (rows: {names})")
    for name in names:
        row = page.locator(f"[data-testid=optimize-param][data-name={name}]")
        include = row.locator("[data-testid=optimize-include]")
        if name not in settings:
            include.uncheck()
            continue
        include.check()
        spec = settings[name]
        mode = row.locator("[data-testid=optimize-mode]")
        if spec[0] == "range":
            mode.select_option("range")
            row.locator("[data-testid=optimize-from]").fill(str(spec[1]))
            row.locator("[data-testid=optimize-to]").fill(str(spec[2]))
            row.locator("[data-testid=optimize-step]").fill(str(spec[3]))
        else:
            if mode.count():
                mode.select_option("values")
            row.locator("[data-testid=optimize-values]").fill(spec[1])


def start_and_finish(run, check, status: str = "done", timeout: float = 180_000) -> str:
    """Starts the form's run, waits for `status`; returns the run's id (from the address)."""
    page = run.page
    with page.expect_response(lambda r: r.url.endswith("/api/optimizations") and r.request.method == "POST") as info:
        page.click("[data-testid=optimize-start]")
    check(info.value.status == 202, f"POST /api/optimizations: expected 202, got {info.value.status}: {info.value.text()}")
    run_id = info.value.json()["id"]
    expect(page.locator("[data-testid=optimize-status]")).to_have_text(status, timeout=timeout)
    check(f"run={run_id}" in page.url, f"the address names the run: {page.url}")
    return run_id


def optimize_steps(run, *, check, wait_until, payloads: tuple[str, str, str]) -> None:
    server, page = run.server, run.page
    img, script, _svg = payloads

    with run.step("optimize: sma_cross over a 3×3 grid on GOOG.csv — server errors at the field, 9 trials, heatmap, report"):
        page.click("[data-testid=nav-strategies]")
        page.click("[data-testid=strategy-row][data-type=sma_cross] [data-testid=strategy-optimize]")
        page.wait_for_url(re.compile(r"#/optimize/sma_cross$"))
        expect(page.locator("[data-testid=optimize-form]")).to_be_visible(timeout=10_000)
        expect(page.locator("[data-testid=nav-optimize]")).to_have_attribute("aria-current", "page")
        page.wait_for_selector("[data-testid=optimize-data] option[value='GOOG.csv']", state="attached")
        page.select_option("[data-testid=optimize-data]", "GOOG.csv")
        # The default sweep is the schema's: every bounded number, enum and boolean.
        defaults = server.api("GET", "/api/strategies/sma_cross/parameters")
        shown = page.eval_on_selector_all("[data-testid=optimize-param]", "(rows) => rows.map((r) => r.dataset.name)")
        check([p["name"] for p in defaults["parameters"]] == shown[:len(defaults["parameters"])], f"rows {shown} vs the default sweep {defaults['parameters']}")
        fast = page.locator("[data-testid=optimize-param][data-name=fast]")
        check(fast.locator("[data-testid=optimize-from]").input_value() == str(defaults["parameters"][0]["from"]), "the range is prefilled from the schema")
        # A value beyond the schema's max goes to the server, whose error shows on that parameter's row.
        sweep(page, {"fast": ("range", 5, 600, 5), "slow": ("range", 20, 40, 10)})
        with page.expect_response(lambda r: r.url.endswith("/api/optimizations") and r.request.method == "POST") as info:
            page.click("[data-testid=optimize-start]")
        check(info.value.status == 400, f"fast up to 600: expected 400, got {info.value.status}")
        message = next((e["message"] for e in info.value.json()["errors"] if e["field"].startswith("params")), None)
        check(message is not None, f"the server's answer names no params field: {info.value.json()}")
        expect(fast.locator("[data-testid=optimize-param-error]")).to_have_text(message)
        check("fast must be at most 500" in message, f"the message names the field and its limit: {message}")
        # The 3 × 3 grid.
        sweep(page, {"fast": ("range", 5, 15, 5), "slow": ("range", 20, 40, 10)})
        expect(page.locator("[data-testid=optimize-planned]")).to_have_attribute("data-trials", "9")
        page.select_option("[data-testid=optimize-metric]", "sharpe")
        page.fill("[data-testid=optimize-fee]", "5")
        run_id = start_and_finish(run, check)
        expect(fast.locator("[data-testid=optimize-param-error]")).to_be_hidden()
        expect(page.locator("[data-testid=optimize-trial]")).to_have_count(9)
        stored = server.api("GET", f"/api/optimizations/{run_id}")
        check(stored["status"] == "done" and stored["summary"]["planned"] == 9 and len(stored["detail"]["trials"]) == 9,
              f"the stored run: {stored['status']} {stored['summary'].get('planned')}")
        check(stored["parameters"]["fee_bps"] == 5, f"the fee reached the run: {stored['parameters']}")
        # Ranked best first by the metric (sharpe, maximised), as the server ranks them.
        scores = [t["metrics"].get("sharpe") for t in stored["detail"]["trials"]]
        best = stored["summary"]["best"]
        first = page.locator("[data-testid=optimize-trial]").first
        check(first.get_attribute("data-index") == str(best["index"]), f"the first row is trial {first.get_attribute('data-index')}, the best is {best['index']} ({scores})")
        expect(page.locator("[data-testid=optimize-best-params]")).to_contain_text(f"fast={best['params']['fast']}")
        expect(page.locator("[data-testid=optimize-heatmap] canvas")).to_be_visible()
        wait_until(lambda: page.evaluate(HEAT_PIXELS) > 500, 10, "the heatmap has no coloured cells")
        expect(page.locator("[data-testid=optimize-history] tr[data-run='%s']" % run_id)).to_be_visible(timeout=10_000)
        run.shot("optimize", full_page=True)
        with page.context.expect_page() as opened:
            page.click("[data-testid=optimize-report]")
        report = opened.value
        report.wait_for_load_state()
        check(f"/api/optimizations/{run_id}/report" in report.url, f"the report link opened {report.url}")
        check(report.locator("svg").count() >= 1, "the optimization report has no heatmap")
        path = OUT / "optimize-report.png"
        report.screenshot(path=str(path), full_page=True)
        run.screenshots.append(path)
        report.close()
        run.assert_clean("optimize")

    with run.step("optimize: 'use these parameters' opens the create form prefilled"):
        page.click("[data-testid=optimize-use-best]")
        expect(page.locator("[data-testid=optimize-use]")).to_be_visible()
        expect(page.locator("[data-testid=optimize-shadow]")).to_be_hidden()
        page.click("[data-testid=optimize-create]")
        page.wait_for_url(re.compile(r"#/new\?"))
        expect(page.locator("#new-cfg-fast")).to_have_value(str(best["params"]["fast"]), timeout=10_000)
        expect(page.locator("#new-cfg-slow")).to_have_value(str(best["params"]["slow"]))
        check(page.input_value("#new-type") == "sma_cross", "the create form's type")
        check(page.input_value("#new-market") == "GOOG", f"the market: {page.input_value('#new-market')}")
        expect(page.locator("[data-testid=create-prefilled]")).to_be_visible()
        # The stored run opens again from its address, its settings back in the form.
        run.go(f"#/optimize/sma_cross?run={run_id}")
        expect(page.locator("[data-testid=optimize-status]")).to_have_text("done", timeout=10_000)
        expect(page.locator("[data-testid=optimize-trial]")).to_have_count(9)
        expect(page.locator("[data-testid=optimize-planned]")).to_have_attribute("data-trials", "9")
        check(page.input_value("[data-testid=optimize-fee]") == "5", "the stored run's fee is back in the form")
        run.assert_clean("optimize: use")

    with run.step("optimize: walk-forward windows, in sample beside out of sample"):
        # The stored run's settings are in the form (the step above reopened it).
        page.fill("[data-testid=optimize-walk-forward]", "2")
        expect(page.locator("[data-testid=optimize-planned]")).to_have_attribute("data-trials", "20")
        run_id = start_and_finish(run, check)
        stored = server.api("GET", f"/api/optimizations/{run_id}")
        windows = stored["summary"]["walk_forward"]["windows"]
        check(len(windows) == 2 and stored["summary"]["planned"] == 20, f"the stored run: {stored['summary']}")
        expect(page.locator("[data-testid=optimize-trial]")).to_have_count(20)
        rows = page.locator("[data-testid=optimize-window]")
        expect(rows).to_have_count(2)
        expect(rows.first).to_contain_text(f"fast={windows[0]['best']['params']['fast']}")
        expect(page.locator("[data-testid=optimize-summary-props] dd[data-key=mean-oos]")).not_to_have_text("—")
        wait_until(lambda: page.evaluate(HEAT_PIXELS) > 500, 10, "the walk-forward heatmap has no coloured cells")
        run.assert_clean("optimize: walk-forward")

    with run.step("optimize: an instance's parameters; 'use' starts a shadow of it"):
        run.go("#/instances/demo-sma-btc")
        page.click("[data-testid=optimize-link]")
        page.wait_for_url(re.compile(r"#/optimize/sma_cross\?instance=demo-sma-btc$"))
        expect(page.locator("[data-testid=optimize-instance-note]")).to_contain_text("demo-sma-btc")
        page.wait_for_selector("[data-testid=optimize-data] option[value='GOOG.csv']", state="attached")
        page.select_option("[data-testid=optimize-data]", "GOOG.csv")
        sweep(page, {"fast": ("values", "5, 8"), "slow": ("values", "30")})
        expect(page.locator("[data-testid=optimize-planned]")).to_have_attribute("data-trials", "2")
        run_id = start_and_finish(run, check)
        expect(page.locator("[data-testid=optimize-trial]")).to_have_count(2)
        stored = server.api("GET", f"/api/optimizations/{run_id}")
        check(stored["instance_id"] == "demo-sma-btc", f"the run is based on the instance: {stored['instance_id']}")
        page.locator("[data-testid=optimize-trial] [data-testid=optimize-use-row]").first.click()
        chosen = int(page.locator("[data-testid=optimize-trial]").first.get_attribute("data-index"))
        fast = next(t["params"]["fast"] for t in stored["detail"]["trials"] if t["index"] == chosen)
        page.click("[data-testid=optimize-shadow]")
        page.wait_for_url(re.compile(r"#/instances/demo-sma-btc$"))
        expect(page.locator("[data-testid=shadow-state]")).to_have_text("running", timeout=15_000)
        shadow = server.api("GET", "/api/instances/demo-sma-btc/shadow")
        check(shadow["config"].get("fast") == fast, f"the shadow runs fast={fast}: {shadow['config']}")
        server.api("DELETE", "/api/instances/demo-sma-btc/shadow", expect_status=204)
        run.assert_clean("optimize: instance")

    with run.step("optimize: 1,000 trials stream in while it runs; Cancel ends it"):
        run.go("#/optimize/sma_cross")
        page.wait_for_selector("[data-testid=optimize-data] option[value='GOOG.csv']", state="attached")
        page.select_option("[data-testid=optimize-data]", "GOOG.csv")
        sweep(page, {"fast": ("range", 1, 50, 1), "slow": ("range", 100, 290, 10)})
        expect(page.locator("[data-testid=optimize-planned]")).to_have_attribute("data-trials", "1000")
        with page.expect_response(lambda r: r.url.endswith("/api/optimizations") and r.request.method == "POST") as info:
            page.click("[data-testid=optimize-start]")
        check(info.value.status == 202, f"POST /api/optimizations: {info.value.status} {info.value.text()}")
        run_id = info.value.json()["id"]
        # A run's detail is null until it ends: rows while it runs came through the event stream.
        page.wait_for_function("() => document.querySelector('[data-testid=optimize-status]')?.textContent === 'running'"
                               " && document.querySelectorAll('[data-testid=optimize-trial]').length >= 3", timeout=60_000)
        check(float(page.get_attribute("[data-testid=optimize-progress]", "value") or 0) > 0, "the progress bar moved")
        page.click("[data-testid=optimize-cancel]")
        expect(page.locator("[data-testid=optimize-status]")).to_have_text("cancelled", timeout=30_000)
        stored = server.api("GET", f"/api/optimizations/{run_id}")
        check(stored["status"] == "cancelled" and stored["summary"].get("cancelled") is True, f"the stored run: {stored['status']}")
        completed = stored["summary"]["completed"]
        check(3 <= completed < 1000, f"completed trials of the cancelled run: {completed}")
        expect(page.locator("[data-testid=optimize-trial]")).to_have_count(min(completed, 100))
        expect(page.locator("[data-testid=optimize-cancel]")).to_be_hidden()
        run.assert_clean("optimize: cancel")

    with run.step("optimize: the hostile strategy's labels, values, trial parameters and errors stay text"):
        run.go("#/optimize")
        page.click("[data-testid=optimize-types] tr[data-type=xss_probe] [data-testid=optimize-pick]")
        page.wait_for_url(re.compile(r"#/optimize/xss_probe$"))
        params = page.locator("[data-testid=optimize-params]")
        expect(params).to_contain_text(f"Size {img}", timeout=10_000)
        expect(params).to_contain_text(f"Loud {script}")
        pick = page.locator("[data-testid=optimize-param][data-name=pick] [data-testid=optimize-values]")
        check(img in pick.input_value(), f"the enum's values: {pick.input_value()!r}")
        page.wait_for_selector("[data-testid=optimize-data] option[value='GOOG.csv']", state="attached")
        page.select_option("[data-testid=optimize-data]", "GOOG.csv")
        # fail_after=5: those trials fail with an error carrying the payloads.
        sweep(page, {"pick": ("values", f"plain, {img}"), "fail_after": ("values", "0, 5")})
        expect(page.locator("[data-testid=optimize-planned]")).to_have_attribute("data-trials", "4")
        start_and_finish(run, check)
        table = page.locator("[data-testid=optimize-trials]")
        expect(page.locator("[data-testid=optimize-trial]")).to_have_count(4)
        expect(table).to_contain_text(img)
        expect(table.locator("[data-testid=optimize-trial-error]").filter(has_text=f"tick failed {img} {script}")).to_have_count(2)
        expect(page.locator("[data-testid=optimize-heatmap] canvas")).to_be_visible()
        path = OUT / "optimize-hostile.png"
        page.evaluate("() => document.getElementById('toasts')?.replaceChildren()")
        page.locator("#optimize-run").screenshot(path=str(path))
        run.screenshots.append(path)
        run.assert_clean("optimize: hostile")
