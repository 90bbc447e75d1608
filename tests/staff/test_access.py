"""Only staff reach /staff, and only admins its settings: every rule of the console, GET and POST,
asked by a guest, a buyer, a producer, and (for admin pages) a staff member who is not an admin."""

import re

import pytest

from tests.conftest import csrf_token

ADMIN_ONLY = "/staff/settings"


def _console_urls(app) -> list[tuple[str, str]]:
    """(method, URL) of every /staff rule, its arguments filled with 1 (ids) or "x" (slugs)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff"):
            continue
        url = re.sub(r"<(?:int:)?([^>]+)>", lambda m: "1" if m.group(0).startswith("<int:") else "x", rule.rule)
        urls += [(method, url) for method in ("GET", "POST") if method in rule.methods]
    return sorted(set(urls))


def test_the_console_has_many_rules(app):
    assert len(_console_urls(app)) > 60  # the check below covers them all, not an empty list


def test_guests_are_sent_to_log_in(app, client):
    for method, url in _console_urls(app):
        response = client.open(url, method=method)
        assert response.status_code in (302, 400), (method, url, response.status_code)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], (method, url)


@pytest.mark.parametrize("roles", [{"buyer"}, {"producer"}])
def test_buyers_and_producers_are_refused_everywhere(app, client, make_user, login, roles):
    login(make_user(roles=roles))
    token = csrf_token(client, "/account")
    for method, url in _console_urls(app):
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (method, url, response.status_code)


def test_settings_need_the_admin_role(app, client, staff, login):
    login(staff)
    token = csrf_token(client, "/account")
    admin_urls = [(method, url) for method, url in _console_urls(app) if url.startswith(ADMIN_ONLY)]
    admin_urls.append(("POST", "/staff/payments"))  # the exchange rate (staff see the page)
    assert admin_urls
    for method, url in admin_urls:
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (method, url, response.status_code)
