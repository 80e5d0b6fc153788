"""The risk gate's steps of the dashboard's browser test (test_dashboard.py calls them after the
Optimize steps, on the same server and page).

- an instance's Risk limits card: a value the server refuses shows beside its input and nothing
  is stored; valid limits are saved, audited and shown again after a reload, then cleared;
- the header's Halt all: a confirmation, then the banner says every account is halted while the
  instances keep running; the server's halts say so; Resume lifts it and the banner goes.
"""

from __future__ import annotations

from playwright.sync_api import expect


def risk_steps(run, check, wait_until) -> None:
    server, page = run.server, run.page

    with run.step("risk limits: a refused value is shown beside its input; valid limits are saved and audited"):
        run.go("#/instances/demo-bollinger-eth")
        form = page.locator("[data-testid=risk-form]")
        expect(form).to_be_visible(timeout=10_000)
        expect(page.locator("[data-testid=risk-summary] [data-key=halt]")).to_have_text("trading")
        page.fill("[data-testid=risk-max_position]", "-1")
        page.click("[data-testid=risk-save]")
        expect(page.locator("[data-testid=risk-max_position-error]")).to_contain_text("positive number", timeout=5_000)
        check(server.api("GET", "/api/instances/demo-bollinger-eth/risk")["limits"] == {}, "a refused value was stored")
        page.fill("[data-testid=risk-max_position]", "2.5")
        page.fill("[data-testid=risk-max_orders_per_minute]", "30")
        page.click("[data-testid=risk-save]")
        expect(page.locator("[data-testid=risk-max_position-error]")).to_have_text("")
        wait_until(lambda: server.api("GET", "/api/instances/demo-bollinger-eth/risk")["limits"] == {"max_position": 2.5, "max_orders_per_minute": 30},
                   5, "the limits were not saved")
        run.shot("risk-limits")
        page.reload()
        expect(page.locator("[data-testid=risk-max_orders_per_minute]")).to_have_value("30", timeout=10_000)
        audit = server.api("GET", "/api/instances/demo-bollinger-eth/audit")["audit"]
        check(any(entry["field"] == "risk" for entry in audit), f"no risk entry in the audit: {audit[:3]}")
        page.fill("[data-testid=risk-max_position]", "")
        page.fill("[data-testid=risk-max_orders_per_minute]", "")
        page.click("[data-testid=risk-save]")
        wait_until(lambda: server.api("GET", "/api/instances/demo-bollinger-eth/risk")["limits"] == {}, 5, "clearing the limits")
        run.assert_clean("risk limits")

    with run.step("halt all: confirmed, the banner shows, instances keep running; resume lifts it"):
        page.click("[data-testid=halt-all]")
        expect(page.locator("[data-testid=confirm-dialog]")).to_be_visible()
        page.click("[data-testid=confirm-ok]")
        banner = page.locator("[data-testid=halt-banner]")
        expect(banner).to_be_visible(timeout=5_000)
        expect(banner.locator("[data-testid=halt-list]")).to_contain_text("Every account: halted")
        expect(page.locator("[data-testid=halt-all]")).to_be_disabled()
        halts = server.api("GET", "/api/halts")
        check(halts["state"] == "halted" and halts["halts"][0]["actor"] == "api", f"the server's halts: {halts}")
        status = server.api("GET", "/api/instances/demo-bollinger-eth")["status"]["state"]
        check(status == "running", f"a halted instance keeps running, got {status}")
        run.shot("halt")
        banner.locator("[data-testid=resume]").click()
        page.click("[data-testid=confirm-ok]")
        expect(banner).to_be_hidden(timeout=5_000)
        expect(page.locator("[data-testid=halt-all]")).to_be_enabled()
        check(server.api("GET", "/api/halts")["state"] == "trading", "resume did not lift the halt")
        run.assert_clean("halt")
