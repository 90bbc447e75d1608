"""Where sign-up and login land: a producer on the first step of her shop, staff on their console."""

import pytest

from tests.conftest import GOOD_PASSWORD, post_form


def test_a_new_producer_lands_on_the_first_step_of_her_shop(client):
    response = post_form(
        client,
        "/signup",
        {"display_name": "فاطمه", "phone": "09151239876", "new_password": GOOD_PASSWORD, "is_producer": "y"},
    )
    assert response.headers["Location"].endswith("/dashboard/shop/setup/name")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="button button-primary">شروع ساختن غرفه‌ام</button>' in page  # her main button starts it


def test_a_new_buyer_lands_on_her_account(client):
    response = post_form(
        client, "/signup", {"display_name": "سارا", "phone": "09151239877", "new_password": GOOD_PASSWORD}
    )
    assert response.headers["Location"].endswith("/account")


@pytest.mark.parametrize(
    ("roles", "next_value", "target"),
    [
        ({"staff"}, "", "/staff"),
        ({"staff", "admin"}, "", "/staff"),
        ({"staff"}, "/dashboard/products", "/dashboard/products"),  # a `next` still wins
        ({"staff"}, "//evil.example/", "/staff"),
        ({"producer"}, "", "/"),
        ({"buyer"}, "", "/"),
    ],
)
def test_login_lands_staff_on_their_console(client, make_user, roles, next_value, target):
    user = make_user(roles=roles)
    response = post_form(client, "/login", {"phone": user.phone, "password": GOOD_PASSWORD, "next": next_value})
    assert response.headers["Location"] == target


def test_a_logged_in_staff_member_opening_login_goes_to_the_console(client, make_user, login):
    login(make_user(roles={"staff"}))
    assert client.get("/login").headers["Location"] == "/staff"
