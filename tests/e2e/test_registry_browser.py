"""The registry in a real browser on the real server: sign up, confirm by the e-mailed link (the console e-mail
backend writes it to the server's log), create a profile, find it by search, and express interest in another
member's partnership request."""

from __future__ import annotations

import re
import time
import uuid

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a long enough passphrase 77"


def _confirmation_link(server, email: str, timeout: float = 20.0) -> str:
    """The link of the confirmation e-mail sent to ``email``, read from the server's console output."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = server.log.read_text(errors="replace")
        start = log.rfind(f"To: {email}")
        if start >= 0:
            m = re.search(r"(http://127\.0\.0\.1:\d+/accounts/confirm/[^/\s]+/[^/\s]+/)", log[start:])
            if m:
                return m.group(1)
        time.sleep(0.25)
    raise AssertionError(f"no confirmation e-mail for {email} in the server log:\n{server.output()}")


def _member(page, server, name: str) -> None:
    """Sign up, confirm, log in."""
    email = f"{name}@example.org"
    page.goto("/accounts/signup/")
    page.locator("#id_username").fill(name)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_text("Check your e-mail").first.wait_for()
    page.goto(_confirmation_link(server, email).replace(server.url, ""))
    page.get_by_text("Your account is confirmed").wait_for()
    page.locator("#id_username").fill(name)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your account").wait_for()


def _profile(page, name: str, region: str, description: str) -> str:
    page.get_by_role("link", name="Create an organisation profile").click()
    page.locator("#id_name").fill(name)
    page.locator("#id_region").fill(region)
    page.locator("#id_category_slugs").select_option(["automotive"])
    page.locator("#id_description").fill(description)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name=name).wait_for()
    return page.url


def test_sign_up_confirm_profile_search_and_express_interest(browser, server):
    tag = uuid.uuid4().hex[:6]
    alice, bob = f"alice{tag}", f"bob{tag}"
    # Bob signs up, creates a profile and posts a request
    ctx_b = browser.new_context(base_url=server.url)
    page_b = ctx_b.new_page()
    _member(page_b, server, bob)
    _profile(page_b, f"Bob Battery Cluster {tag}", "FR10", "Battery recycling in Paris.")
    page_b.get_by_role("link", name="Post a partnership request").click()
    page_b.locator("#id_title").fill(f"Partners for cell recycling {tag}")
    page_b.locator("#id_description").fill("A cluster with battery cell makers.")
    page_b.get_by_role("button", name="Save").click()
    page_b.get_by_role("heading", name=f"Partners for cell recycling {tag}").wait_for()
    request_url = page_b.url
    ctx_b.close()

    # Alice signs up, creates her profile and finds it by search
    ctx = browser.new_context(base_url=server.url)
    page = ctx.new_page()
    _member(page, server, alice)
    _profile(page, f"Alice Drive Cluster {tag}", "DE11", f"Electric drive trains, code {tag}.")
    page.goto("/registry/organisations/")
    page.get_by_label("Words", exact=True).fill(f"drive {tag}")
    page.get_by_role("button", name="Search").last.click()
    # the results page: wait for it to load (a count read while the new page is still parsing saw 0 rows, under load)
    page.wait_for_url(f"**q=drive+{tag}**", wait_until="load")
    results = page.locator("table.data tbody tr")
    expect(results).to_have_count(1)
    assert f"Alice Drive Cluster {tag}" in results.first.inner_text()
    assert f"q=drive+{tag}" in page.url  # the search state is in the URL

    # and expresses interest in Bob's request
    page.goto(request_url.replace(server.url, ""))
    page.locator("#id_message").fill("We make the cells: let us talk.")
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Interest reply").wait_for()
    assert "We make the cells: let us talk." in page.content()
    log = server.log.read_text(errors="replace")
    assert f"To: {bob}@example.org" in log and "expressed interest" in log
    ctx.close()
