"""The Optimize view's steps of the browser test: a small grid on sample data from the dashboard,
the heatmap and trials, "use these parameters" opening a prefilled create form, and a cancelled
run. `run` is test_dashboard.Run (the page, the server, step/shot/assert_clean)."""

from __future__ import annotations

from playwright.sync_api import expect


def fill_range(page, name: str, start: int, stop: int, step: int) -> None:
    row = page.locator(f"[data-testid=optimize-param][data-name={name}]")
    row.locator("[data-key=sweep]").check()
    row.locator("[data-key=from]").fill(str(start))
    row.locator("[data-key=to]").fill(str(stop))
    row.locator("[data-key=step]").fill(str(step))
    row.locator("[data-key=values]").fill("")


def only_sweep(page, names: set[str]) -> None:
    rows = page.locator("[data-testid=optimize-param]")
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.get_attribute("data-name") not in names:
            row.locator("[data-key=sweep]").uncheck()


def optimize_steps(run, check, wait_until) -> None:
    page = run.page
    server = run.server

    with run.step("optimize: a small grid from the dashboard, trials and a heatmap"):
        run.go("#/optimize?type=sma_cross&instance=demo-sma-btc")
        expect(page.locator("[data-testid=optimize-param][data-name=fast]")).to_be_visible(timeout=10_000)
        page.select_option("[data-testid=optimize-data]", "GOOG.csv")
        only_sweep(page, {"fast", "slow"})
        fill_range(page, "fast", 5, 20, 5)
        fill_range(page, "slow", 20, 80, 20)
        page.fill("[data-testid=optimize-constraints]", "fast < slow")
        page.click("[data-testid=optimize-run]")
        expect(page.locator("[data-testid=optimize-status]")).to_have_text("Done: 16 trials.", timeout=60_000)
        expect(page.locator("[data-testid=optimize-heatmap] canvas")).to_be_visible()
        rows = page.locator("[data-testid=optimize-trials-table] tbody tr")
        check(rows.count() == 16, f"16 trials listed, got {rows.count()}")
        expect(page.locator("[data-testid=optimize-best-line]")).to_contain_text("fast = ")
        listed = server.api("GET", "/api/optimizations?strategy_type=sma_cross")["optimizations"]
        check(any(o["status"] == "done" for o in listed), f"the run is stored: {listed}")
        page.wait_for_timeout(300)  # the heatmap's first frame
        run.shot("optimize", full_page=True)
        run.assert_clean("optimize")

    with run.step("optimize: the report opens, and 'use these parameters' prefills a new instance"):
        link = page.locator("[data-testid=optimize-report-link]")
        href = link.get_attribute("href")
        status, headers, report = server.request("GET", href)
        check(status == 200 and isinstance(report, str), f"GET {href}: {status}")
        check("<script" not in report.lower() and "Trials" in report, "the report is self-contained, without scripts")
        best_fast = page.locator("[data-testid=optimize-best-line]").inner_text().split("fast = ")[1].split(",")[0].strip()
        page.locator("[data-testid=optimize-best-line] [data-testid=use-parameters]").click()
        expect(page.locator("#new-cfg-fast")).to_have_value(best_fast, timeout=10_000)
        run.assert_clean("use these parameters")

    with run.step("optimize: a long run is cancelled from the dashboard"):
        run.go("#/optimize?type=sma_cross")
        expect(page.locator("[data-testid=optimize-param][data-name=fast]")).to_be_visible(timeout=10_000)
        page.select_option("[data-testid=optimize-data]", "EURUSD.csv")
        only_sweep(page, {"fast", "slow"})
        fill_range(page, "fast", 1, 400, 1)
        fill_range(page, "slow", 2, 1000, 1)
        page.click("[data-testid=optimize-run]")
        expect(page.locator("[data-testid=optimize-cancel]")).to_be_visible(timeout=10_000)
        page.click("[data-testid=optimize-cancel]")
        expect(page.locator("[data-testid=optimize-status]")).to_contain_text("Cancelled", timeout=20_000)
        listed = server.api("GET", "/api/optimizations?strategy_type=sma_cross")["optimizations"]
        check(any(o["status"] == "cancelled" for o in listed), f"the cancelled run is stored as cancelled: {listed}")
        run.assert_clean("optimize cancel")
