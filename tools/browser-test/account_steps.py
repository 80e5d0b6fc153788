"""The accounts and performance steps of the dashboard's browser test (test_dashboard.py calls
account_steps after the risk steps, and performance_bulk_steps after the list over 10,000
instances, on the same server and page).

- the Accounts view's form: a taken name and a bad starting cash are refused beside their
  fields (the server's words, as text); a name carrying markup is refused the same way or, when
  the server takes it, shown as text in the list and the account's view; a valid account is
  created;
- one account: funding with a negative amount is refused beside the input; a valid amount is
  added and audited; a reset is refused (409, shown as text) while an instance of the account
  is active, and goes through the confirmation dialog once it observes;
- the Accounts view, an account's detail and the Performance panel of demo-bollinger-eth, which
  trades on the synthetic feed: equity and drawdown charts, the window's metrics, the round
  trips, the window chooser; polling stops when the view is left; an instance without history
  says so instead of drawing an empty chart (screenshots accounts.png, account-detail.png,
  performance.png);
- timed: the bulk instances get a month of equity points each (seeded with sqlite3), then the
  list's first page with its Return and Max drawdown columns, a sort by return, and one
  instance's Performance charts over 30 d.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from playwright.sync_api import expect

OUT = Path(__file__).resolve().parent / "out"
ACCOUNT = "browser-acct"
TRADER = "acct-sma"
TIMED = "bulk-00042"  # the bulk instance whose Performance panel is timed


def account_steps(run, check, wait_until, payloads) -> None:
    server, page = run.server, run.page

    with run.step("accounts: created through the form; a taken name and a bad cash are refused beside the fields; markup stays text"):
        page.click("[data-testid=nav-accounts]")
        expect(page.locator("[data-testid=accounts-table][data-loaded=true]")).to_be_attached(timeout=10_000)
        expect(page.locator("[data-testid=account-row][data-name=paper]")).to_be_visible()
        # A taken name: the server's 409 beside the name.
        page.fill("[data-testid=account-name]", "paper")
        page.fill("[data-testid=account-starting_cash]", "5000")
        page.click("[data-testid=account-create]")
        expect(page.locator("[data-testid=account-name-error]")).not_to_have_text("", timeout=5_000)
        check(server.api("GET", "/api/accounts/paper")["starting_cash"] != 5000, "a taken name changed the account")
        # A bad cash: the server's field error beside the cash; nothing is created.
        page.fill("[data-testid=account-name]", ACCOUNT)
        page.fill("[data-testid=account-starting_cash]", "-5")
        page.click("[data-testid=account-create]")
        expect(page.locator("[data-testid=account-starting_cash-error]")).not_to_have_text("", timeout=5_000)
        expect(page.locator("[data-testid=account-name-error]")).to_have_text("")
        server.api("GET", f"/api/accounts/{ACCOUNT}", expect_status=404)
        # Markup in the name: refused beside the field, or created and shown as text (list and view).
        page.fill("[data-testid=account-name]", payloads[0])
        page.fill("[data-testid=account-starting_cash]", "")
        with page.expect_response(lambda r: r.url.endswith("/api/accounts") and r.request.method == "POST") as answer:
            page.click("[data-testid=account-create]")
        if answer.value.status == 201:
            link = page.locator("[data-testid=account-link]", has_text=payloads[0])
            expect(link).to_have_text(payloads[0], timeout=5_000)
            link.click()
            expect(page.locator("[data-testid=account-name]")).to_have_text(payloads[0], timeout=10_000)
            expect(page.locator("[data-testid=account-balance-list] [data-key=cash]")).to_have_text("100,000")
            page.click("[data-testid=back-to-accounts]")
        else:
            expect(page.locator("[data-testid=account-name-error]")).not_to_have_text("", timeout=5_000)
        run.assert_clean("account form")
        # A valid one.
        page.fill("[data-testid=account-name]", ACCOUNT)
        page.fill("[data-testid=account-base_currency]", "USD")
        page.fill("[data-testid=account-starting_cash]", "25000")
        page.click("[data-testid=account-create]")
        expect(page.locator(f"[data-testid=account-row][data-name={ACCOUNT}]")).to_be_visible(timeout=5_000)
        for field in ("name", "base_currency", "starting_cash"):
            expect(page.locator(f"[data-testid=account-{field}-error]")).to_have_text("")
        created = server.api("GET", f"/api/accounts/{ACCOUNT}")
        check(created["starting_cash"] == 25000 and created["base_currency"] == "USD" and created["kind"] == "paper",
              f"the created account: {created}")
        run.assert_clean("account created")

    with run.step("accounts: funding refuses a negative amount beside its input, adds a valid one"):
        page.click(f"[data-testid=account-row][data-name={ACCOUNT}] [data-testid=account-link]")
        expect(page.locator("[data-testid=account-name]")).to_have_text(ACCOUNT, timeout=10_000)
        page.fill("[data-testid=fund-amount]", "-10")
        page.click("[data-testid=fund-submit]")
        expect(page.locator("[data-testid=fund-amount-error]")).not_to_have_text("", timeout=5_000)
        check(server.api("GET", f"/api/accounts/{ACCOUNT}")["funded"] == 0, "a refused amount was added")
        page.fill("[data-testid=fund-amount]", "5000")
        page.click("[data-testid=fund-submit]")
        expect(page.locator("[data-testid=fund-amount-error]")).to_have_text("")
        expect(page.locator("[data-testid=account-balance-list] [data-key=funded]")).to_have_text("5,000", timeout=5_000)
        expect(page.locator("[data-testid=account-balance-list] [data-key=cash]")).to_have_text("30,000")
        wait_until(lambda: any(e["field"] == "funding" for e in server.api("GET", f"/api/accounts/{ACCOUNT}/audit")["audit"]),
                   5, "the funding is not in the account's audit")
        expect(page.locator("[data-testid=account-audit-table]")).to_contain_text("funding", timeout=5_000)
        run.assert_clean("fund")

    with run.step("accounts: reset refused while an instance trades on the account, allowed once it observes"):
        server.api("POST", "/api/instances", {"id": TRADER, "strategy_type": "sma_cross", "account": ACCOUNT,
                                              "market": "BTC/USD", "mode": "active", "config": {"fast": 2, "slow": 5}},
                   expect_status=201)
        wait_until(lambda: server.api("GET", f"/api/instances/{TRADER}")["status"]["state"] == "running", 20,
                   f"{TRADER} is not running")
        expect(page.locator("[data-testid=account-instance-table]")).to_contain_text(TRADER, timeout=10_000)
        # Cancel in the dialog: nothing happens.
        page.click("[data-testid=account-reset]")
        expect(page.locator("[data-testid=confirm-dialog]")).to_be_visible()
        page.click("[data-testid=confirm-cancel]")
        page.click("[data-testid=account-reset]")
        page.click("[data-testid=confirm-ok]")
        refusal = page.locator("[data-testid=account-reset-error]")
        expect(refusal).to_be_visible(timeout=5_000)
        expect(refusal).to_contain_text(TRADER)
        check(server.api("GET", f"/api/accounts/{ACCOUNT}")["resets"] == 0, "a refused reset happened")
        server.api("PUT", f"/api/instances/{TRADER}/mode", {"mode": "observe"})
        page.click("[data-testid=account-reset]")
        page.click("[data-testid=confirm-ok]")
        expect(refusal).to_be_hidden(timeout=5_000)
        expect(page.locator("[data-testid=account-balance-list] [data-key=funded]")).to_have_text("0", timeout=5_000)
        after = server.api("GET", f"/api/accounts/{ACCOUNT}")
        check(after["resets"] == 1 and after["funded"] == 0 and after["cash"] == 25000, f"after the reset: {after}")
        expect(page.locator("[data-testid=account-audit-table]")).to_contain_text("reset", timeout=5_000)
        run.assert_clean("reset")

    with run.step("accounts: the list and the demo account's detail with real data"):
        demo = server.api("GET", "/api/instances/demo-bollinger-eth")
        account = demo["identity"]["account"]
        page.click("[data-testid=nav-accounts]")
        row = page.locator(f"[data-testid=account-row][data-name={account}]")
        expect(row).to_be_visible(timeout=10_000)
        expect(row.locator("[data-testid=account-equity]")).not_to_have_text("—")
        run.shot("accounts")
        row.locator("[data-testid=account-link]").click()
        expect(page.locator("[data-testid=account-instance-table]")).to_contain_text("demo-bollinger-eth", timeout=10_000)
        expect(page.locator("[data-testid=account-perf-panel][data-shown='all']")).to_be_attached(timeout=15_000)
        expect(page.locator("[data-testid=account-perf-by-instance]")).to_be_visible()
        expect(page.locator("[data-testid=account-perf-trips] thead th").first).to_have_text("Instance")
        trips = server.api("GET", f"/api/accounts/{account}/performance")["round_trips"]
        if trips:
            first = page.locator("[data-testid=account-perf-trips] tbody tr:not(.empty)").first
            expect(first.locator("a")).to_have_text(trips[-1]["instance_id"], timeout=10_000)
        run.shot("account-detail", full_page=True)
        run.assert_clean("account detail")

    with run.step("performance: equity, drawdown, metrics and round trips of a trading demo instance"):
        run.go("#/instances/demo-bollinger-eth")
        panel = page.locator("[data-testid=perf-panel]")
        panel.scroll_into_view_if_needed(timeout=10_000)
        # The engine records equity points as it runs; wait for a few (and for a round trip).
        wait_until(lambda: len(server.api("GET", "/api/instances/demo-bollinger-eth/equity")["points"]) >= 3, 60,
                   "demo-bollinger-eth has no equity history")
        page.click("[data-testid=perf-window-all]")
        expect(page.locator("[data-testid=perf-panel][data-shown='all']")).to_be_attached(timeout=15_000)
        expect(page.locator("[data-testid=perf-empty]")).to_be_hidden(timeout=15_000)
        expect(page.locator("[data-testid=perf-equity-chart] canvas")).to_be_visible()
        expect(page.locator("[data-testid=perf-drawdown-chart] canvas")).to_be_visible()
        wait_until(lambda: int(page.get_attribute("[data-testid=perf-equity-chart]", "data-points") or 0) >= 3, 15,
                   "the equity chart drew no points")
        performance = server.api("GET", "/api/instances/demo-bollinger-eth/performance")
        check(isinstance(performance["metrics"]["trades"], int), f"the metrics: {performance['metrics']}")
        expect(page.locator("[data-testid=perf-metric-list] [data-key=trades]")).to_contain_text("closed", timeout=10_000)
        expect(page.locator("[data-testid=perf-metric-list] [data-key=return]")).to_contain_text("%")
        if performance["round_trips"]:
            expect(page.locator("[data-testid=perf-trips] tbody tr:not(.empty)").first).to_be_visible(timeout=10_000)
        page.click("[data-testid=perf-window-24h]")
        expect(page.locator("[data-testid=perf-panel][data-shown='24h']")).to_be_attached(timeout=10_000)
        check(page.get_attribute("[data-testid=perf-window-24h]", "aria-pressed") == "true", "the chosen window is pressed")
        page.evaluate("() => document.getElementById('toasts')?.replaceChildren()")
        page.locator("[data-testid=performance]").screenshot(path=str(OUT / "performance.png"))
        run.screenshots.append(OUT / "performance.png")
        run.assert_clean("performance")

    with run.step("performance: polled every few seconds while shown, never after leaving"):
        asked: list[float] = []
        listener = lambda request: asked.append(time.monotonic()) if "/performance" in request.url else None  # noqa: E731
        page.on("request", listener)
        try:
            page.locator("[data-testid=perf-panel]").scroll_into_view_if_needed()
            page.wait_for_timeout(11_000)
            check(1 <= len(asked) <= 4, f"{len(asked)} performance requests in 11 s (every 5 s expected)")
            page.click("[data-testid=back-to-list]")
            left = len(asked)
            page.wait_for_timeout(6_000)
            check(len(asked) == left, f"{len(asked) - left} performance requests after leaving the view")
        finally:
            page.remove_listener("request", listener)

    with run.step("performance: an instance without history says so instead of an empty chart"):
        server.api("POST", "/api/instances", {"id": "perf-empty", "strategy_type": "sma_cross", "account": ACCOUNT,
                                              "market": "BTC/USD", "mode": "off", "config": {}}, expect_status=201)
        run.go("#/instances/perf-empty")
        page.locator("[data-testid=perf-panel]").scroll_into_view_if_needed(timeout=10_000)
        page.click("[data-testid=perf-window-all]")
        expect(page.locator("[data-testid=perf-panel][data-shown='all']")).to_be_attached(timeout=10_000)
        expect(page.locator("[data-testid=perf-empty]")).to_contain_text("No history yet")
        expect(page.locator("[data-testid=perf-equity-chart]")).to_be_hidden()
        expect(page.locator("[data-testid=perf-trips]")).to_contain_text("No round trips")
        run.assert_clean("performance without history")


def performance_bulk_steps(run, check, wait_until, prefix: str = "bulk-") -> None:
    """Seeds a month of equity points for every bulk instance, then times the list and a panel."""
    server, page = run.server, run.page
    with run.step("performance over 10,000 instances with a month of points each: timed"):
        started = time.perf_counter()
        seeded = seed_equity(server, prefix, check)
        seed_s = time.perf_counter() - started
        fresh = page.context.new_page()
        fresh.on("pageerror", lambda error: run.page_errors.append(str(error)))
        try:
            started = time.perf_counter()
            fresh.goto(f"{server.base}/#/")
            fresh.wait_for_function("() => document.querySelectorAll('[data-testid=instance-row]').length === 100"
                                    " && Array.from(document.querySelectorAll('[data-testid=instance-return]')).some((c) => c.textContent.includes('%'))",
                                    timeout=15_000)
            list_s = time.perf_counter() - started
            started = time.perf_counter()
            with fresh.expect_response(lambda r: "/api/instances?" in r.url and "sort=return_pct" in r.url):
                fresh.click("[data-testid=sort-return_pct]")
            fresh.wait_for_function("() => new Promise((resolve) => requestAnimationFrame(() => resolve(true)))")
            sort_s = time.perf_counter() - started
            check(fresh.get_attribute("[data-testid=instances-table] th[aria-sort]", "aria-sort") == "ascending", "sorted by return")
            shown = fresh.eval_on_selector_all("[data-testid=instance-return]", "(cells) => cells.map((c) => c.textContent)")
            values = [float(v.replace(",", "").replace(" %", "")) for v in shown if v.endswith("%")]
            check(len(values) >= 90 and values == sorted(values), f"the returns shown are not ascending: {shown[:10]}")
            api_started = time.perf_counter()
            server.api("GET", "/api/instances?sort=return_pct&order=desc&limit=100")
            api_sort_s = time.perf_counter() - api_started
            target = TIMED
            started = time.perf_counter()
            fresh.goto(f"{server.base}/#/instances/{target}")
            fresh.locator("[data-testid=perf-panel]").scroll_into_view_if_needed(timeout=15_000)
            fresh.click("[data-testid=perf-window-30d]")
            fresh.wait_for_function("() => document.querySelector('[data-testid=perf-panel]')?.dataset.shown === '30d'"
                                    " && Number(document.querySelector('[data-testid=perf-drawdown-chart]')?.dataset.points) > 1",
                                    timeout=15_000)
            panel_s = time.perf_counter() - started
            check(fresh.locator("[data-testid=perf-metric-list] [data-key=return]").text_content().endswith("%"), "the 30 d return shows")
            api_started = time.perf_counter()
            now = int(time.time())
            server.api("GET", f"/api/instances/{target}/equity?from={now - 30 * 86400}&to={now}")
            server.api("GET", f"/api/instances/{target}/performance?from={now - 30 * 86400}&to={now}")
            api_panel_s = time.perf_counter() - api_started
            fresh.locator("[data-testid=performance]").screenshot(path=str(OUT / "performance-10k.png"))
            run.screenshots.append(OUT / "performance-10k.png")
        finally:
            fresh.close()
        run.timings += [
            f"seeding {seeded:,} equity points with sqlite3: {seed_s:.1f} s",
            f"list with Return/Max drawdown, from navigation to 100 rows with returns: {list_s * 1000:.0f} ms",
            f"sort by return, from the click to the sorted page drawn: {sort_s * 1000:.0f} ms (API alone {api_sort_s * 1000:.0f} ms)",
            f"instance detail to its 30 d Performance charts drawn: {panel_s * 1000:.0f} ms (equity + performance API {api_panel_s * 1000:.0f} ms)",
        ]
        for line in run.timings[-4:]:
            print(f"      {line}")


def wander(k: str, h: str) -> str:
    """SQL for instance k's equity at hour h: a drift of -3..+3 % a month, a daily swing, a dip."""
    return (f"100000 * (1 + (({k} % 7) - 3) * 0.01 * {h} / 720.0 + 0.004 * sin({h} / 24.0 * 6.2832 + {k})"
            f" - 0.02 * max(0, 1 - abs({h} - 200 - ({k} % 300)) / 48.0))")


def summarize(prefix: str, first: str, last: str) -> str:
    """SQL that (re)writes the summaries of the instances first…last from their points."""
    return f"""
WITH runs AS (
  SELECT name, t, equity, max(equity) OVER (PARTITION BY name ORDER BY t) AS peak,
         first_value(equity) OVER (PARTITION BY name ORDER BY t) AS first_equity
  FROM equity_points WHERE scope = 'instance' AND name >= '{first}' AND name <= '{last}' AND name LIKE '{prefix}%')
INSERT INTO equity_summaries (scope, name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct)
SELECT 'instance', name, min(t), min(first_equity), max(t),
       (SELECT p.equity FROM equity_points p WHERE p.scope = 'instance' AND p.name = runs.name ORDER BY p.t DESC LIMIT 1),
       max(peak), max((peak - equity) / peak * 100)
FROM runs GROUP BY name
ON CONFLICT (scope, name) DO UPDATE SET first_t = excluded.first_t, first_equity = excluded.first_equity,
  last_t = excluded.last_t, last_equity = excluded.last_equity, peak = excluded.peak,
  max_drawdown_pct = excluded.max_drawdown_pct;"""


def seed_equity(server, prefix: str, check) -> int:
    """A month of hourly equity points for every instance whose id starts with `prefix`, plus two
    days of minute points for the timed one (`TIMED`), and their summaries, written straight into
    the tables of migration "v10: equity history" with recursive CTEs, 500 instances per
    transaction (the running server writes between them). Returns the points written.

    The standard policy keeps minutes for 2 days and hours for 90: a month of running leaves
    about that (not a month of minutes, which for 10,000 instances would be 432 million rows),
    and the hourly tier is what a 30 d chart reads."""
    now = int(time.time()) // 60 * 60
    ids = sqlite(server, f"SELECT id FROM instances WHERE id LIKE '{prefix}%' ORDER BY id;", check).split()
    check(len(ids) >= 1000, f"only {len(ids)} {prefix}* instances to seed")
    script = [".timeout 30000", "PRAGMA cache_size = -100000;"]
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        first, last = chunk[0], chunk[-1]
        script.append(f"""
BEGIN IMMEDIATE;
WITH RECURSIVE hours(h) AS (SELECT 0 UNION ALL SELECT h + 1 FROM hours WHERE h < 719),
     named AS (SELECT id AS name, CAST(substr(id, {len(prefix) + 1}) AS INTEGER) AS k FROM instances
               WHERE id >= '{first}' AND id <= '{last}' AND id LIKE '{prefix}%')
INSERT INTO equity_points (scope, name, tier, t, equity, position, realised, fees, price)
SELECT 'instance', name, 3600, {now} - (719 - h) * 3600, {wander("k", "h")}, (h / 24) % 2, 0, h * 0.1, NULL
FROM named, hours ORDER BY name, h;
{summarize(prefix, first, last)}
COMMIT;""")
    k = int(TIMED[len(prefix):])
    script.append(f"""
BEGIN IMMEDIATE;
WITH RECURSIVE minutes(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM minutes WHERE m < 2879)
INSERT INTO equity_points (scope, name, tier, t, equity, position, realised, fees, price)
SELECT 'instance', '{TIMED}', 60, {now} - (2879 - m) * 60, {wander(str(k), "(672 + m / 60.0)")}, 1, 0, 0, NULL
FROM minutes;
{summarize(prefix, TIMED, TIMED)}
COMMIT;
SELECT count(*) FROM equity_points WHERE scope = 'instance' AND name LIKE '{prefix}%';""")
    return int(sqlite(server, "\n".join(script), check).split()[-1])


def sqlite(server, sql: str, check) -> str:
    result = subprocess.run(["sqlite3", str(server.db)], input=sql, text=True, capture_output=True, timeout=600)
    check(result.returncode == 0, f"sqlite3 failed: {result.stderr.strip()}")
    return result.stdout
