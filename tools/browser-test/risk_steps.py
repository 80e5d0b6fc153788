"""The risk gate's steps of the dashboard's browser test (test_dashboard.py calls them after the
Optimize steps, on the same server and page).

- an instance's Risk limits card: a value the server refuses shows beside its input and nothing
  is stored; valid limits are saved, audited and shown again after a reload, then cleared; the
  account's limits are saved from the same card;
- the Webhooks view: a bad URL is refused in the form; a receiver on loopback (a real HTTP server
  in this process) is added with a secret;
- the header's Halt all: a confirmation, then the banner says every account is halted while the
  instances keep running; the server's halts say so; Resume lifts it and the banner goes; the
  receiver got the halt and the resume, signed with HMAC-SHA256 as docs/api.md says; the
  webhook is removed from the view.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

SECRET = "browser-test-secret"


class Receiver:
    """A webhook receiver on loopback that keeps every POST (headers and body)."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict, bytes]] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def events(self) -> list[dict]:
        return [json.loads(body) for _, body in self.posts]

    def signatures_valid(self) -> bool:
        for headers, body in self.posts:
            parts = dict(part.split("=", 1) for part in headers.get("strata-signature", "").split(","))
            expected = hmac.new(SECRET.encode(), parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, parts.get("v1", "")):
                return False
        return bool(self.posts)

    def stop(self) -> None:
        self.server.shutdown()


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
        page.fill("[data-testid=account-risk-max_daily_loss]", "1000")
        page.click("[data-testid=account-risk-save]")
        wait_until(lambda: server.api("GET", "/api/accounts/paper/risk")["limits"] == {"max_daily_loss": 1000}, 5, "the account's limits")
        page.fill("[data-testid=account-risk-max_daily_loss]", "")
        page.click("[data-testid=account-risk-save]")
        wait_until(lambda: server.api("GET", "/api/accounts/paper/risk")["limits"] == {}, 5, "clearing the account's limits")
        run.assert_clean("risk limits")

    receiver = Receiver()
    with run.step("webhooks: a bad URL is refused in the form; a loopback receiver is added with a secret"):
        page.click("[data-testid=nav-webhooks]")
        page.fill("[data-testid=webhook-url]", "ftp://example.com/hook")
        page.check("[data-testid=webhook-event-halt]")
        page.click("[data-testid=webhook-add]")
        expect(page.locator("[data-testid=webhook-error]")).to_contain_text("url", timeout=5_000)
        page.fill("[data-testid=webhook-url]", receiver.url)
        page.check("[data-testid=webhook-event-halt]")
        page.check("[data-testid=webhook-event-resume]")
        page.fill("[data-testid=webhook-secret]", SECRET)
        page.click("[data-testid=webhook-add]")
        expect(page.locator("[data-testid=webhook-row]")).to_have_count(1, timeout=5_000)
        listed = server.api("GET", "/api/webhooks")["webhooks"]
        check(len(listed) == 1 and listed[0]["has_secret"] and "secret" not in listed[0], f"the stored webhook: {listed}")
        time.sleep(2.5)  # the notifier reads the webhooks every 2 s
        run.shot("webhooks")

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

    with run.step("webhooks: the receiver got the halt and the resume, validly signed; the webhook is removed"):
        try:
            wait_until(lambda: [e["type"] for e in receiver.events()] == ["halt", "resume"], 15,
                       "the receiver did not get the halt then the resume")
            check(receiver.signatures_valid(), "a delivery's Strata-Signature does not verify")
            check(receiver.events()[0]["data"]["account"] is None, f"the halt event: {receiver.events()[0]}")
            page.click("[data-testid=nav-webhooks]")
            page.click("[data-testid=webhook-remove]")
            page.click("[data-testid=confirm-ok]")
            expect(page.locator("[data-testid=webhook-row]")).to_have_count(0, timeout=5_000)
            run.assert_clean("webhooks")
        finally:
            receiver.stop()
