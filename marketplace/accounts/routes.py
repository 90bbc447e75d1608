"""Sign-up, log in and out, the account page, password change and reset."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..core.persian import to_latin_digits
from ..core.phone import PhoneError, normalize_iranian_mobile
from ..core.security import is_safe_next, refuse_cross_site_post
from ..core.transaction import change
from ..extensions import csrf, db, limiter
from . import services, throttle
from .access import acting_user, end_assist_in_browser
from .forms import (
    ActionForm,
    ChangePasswordForm,
    LoginForm,
    ProfileForm,
    ResetConfirmForm,
    ResetRequestForm,
    SignupForm,
)

bp = Blueprint("accounts", __name__)


def _phone_key() -> str:
    """Rate-limit key for the number in the submitted form (normalised, so spellings share a bucket)."""
    typed = request.form.get("phone", "")
    try:
        return "phone:" + normalize_iranian_mobile(typed)
    except PhoneError:
        return "phone-raw:" + to_latin_digits(typed).strip()[:20]


def _limit(setting: str, per_phone: bool = False):
    """Limit POSTs to a route by the named setting, per IP or per phone number."""
    return limiter.limit(
        lambda: current_app.config[setting],
        key_func=_phone_key if per_phone else None,
        methods=["POST"],
    )


def _after_login_target(next_path: str | None, user) -> str:
    """Where a login lands: the safe `next` she was sent from, else staff on their console's
    home (the queues waiting for them), everyone else on the home page."""
    if is_safe_next(next_path):
        return next_path
    return url_for("staff.home") if user.has_role("staff") else url_for("pages.home")


@bp.route("/signup", methods=["GET", "POST"])
@_limit("RATELIMIT_SIGNUP_IP")
@_limit("RATELIMIT_SIGNUP_PHONE", per_phone=True)
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.account"))
    form = SignupForm(is_producer=request.args.get("producer") == "1", next=request.args.get("next", ""))
    if form.validate_on_submit():
        roles = {"buyer", "producer"} if form.is_producer.data else {"buyer"}
        with change(form) as done:
            user = services.create_user(
                form.phone.e164,
                form.display_name.data,
                form.new_password.data,
                roles=roles,
                locale=request.cookies.get(current_app.config["LOCALE_COOKIE"]),
            )
            services.record_login(user)
            # inside the transaction: whatever answers Flask-Login's user_logged_in (orders takes
            # over the guest cart) is committed with the new account, or not at all
            login_user(user)
        if done:
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            if is_safe_next(form.next.data):
                return redirect(form.next.data)  # e.g. back to the checkout she was on
            # A producer goes straight to the first step of her shop, whose main button starts it.
            return redirect(url_for("wizard.step_name") if form.is_producer.data else url_for("accounts.account"))
        logout_user()
    return render_template("accounts/signup.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN_IP")
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_after_login_target(form.next.data, current_user))
    if form.validate_on_submit():
        phone = form.phone.e164
        if throttle.login_blocked(phone, throttle.is_known_device(phone)):
            abort(429)  # failures only are counted; see accounts/throttle.py
        user = services.authenticate(phone, form.password.data)
        if user is None:
            throttle.login_failed(phone)
            form.password.errors = [_("The mobile number or the password is not right.")]
        elif not user.active:
            form.password.errors = [_("This account is deactivated. Please contact the centre.")]
        else:
            services.record_login(user)
            login_user(user, remember=form.remember.data)  # before the commit: see signup()
            db.session.commit()
            throttle.clear_failures(phone, everywhere=False)
            return throttle.remember_device(redirect(_after_login_target(form.next.data, user)), phone)
    return render_template("accounts/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Log out everywhere: the token rotates, so other devices and copied cookies stop working."""
    if ActionForm().validate_on_submit():
        with change():
            # while assisting, the staff member logs out (and the assisted session ends), not her
            person = acting_user()
            end_assist_in_browser("logout")
            services.end_all_sessions(person)
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        with change(form) as done:
            services.update_profile(current_user, form.display_name.data)
        if done:
            flash(_("Your details are saved."), "success")
            return redirect(url_for("accounts.account"))
    return render_template(
        "accounts/account.html",
        form=form,
        password_form=ChangePasswordForm(formdata=None),
        action_form=ActionForm(),
    ), 422 if form.errors else 200


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        if done:
            login_user(current_user._get_current_object())  # this device stays logged in
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/password.html", form=form), 422 if form.errors else 200


@bp.post("/account/producer")
@login_required
def become_producer():
    if ActionForm().validate_on_submit():
        with change():
            services.add_role(current_user, "producer")
        flash(_("You are now a producer. Next, build your shop."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/reset", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET_IP")
@_limit("RATELIMIT_RESET_PHONE", per_phone=True)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.start_password_reset(form.phone.e164)  # the code goes out through the outbox
        db.session.commit()
        # The same answer whether or not the number has an account.
        flash(_("If this number has an account, a code is on its way by text message."), "info")
        return redirect(url_for("accounts.reset_confirm", phone=form.phone.data))
    return render_template("accounts/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/reset/confirm", methods=["GET", "POST"])
@_limit("RATELIMIT_RESET_IP")
def reset_confirm():
    """No per-phone limit here: each code allows RESET_CODE_MAX_ATTEMPTS tries, and a right code must
    work even while someone else is guessing (it also clears the phone's login failures)."""
    form = ResetConfirmForm(phone=request.args.get("phone", ""))
    if form.validate_on_submit():
        # A wrong code still commits: the failed attempt must stay counted.
        with change(form, commit_refusals={"code"}) as done:
            services.complete_password_reset(form.phone.e164, form.code.data or "", form.new_password.data)
        if done:
            throttle.clear_failures(form.phone.e164, everywhere=True)
            flash(_("Your password is changed. Log in with the new password."), "success")
            return throttle.remember_device(redirect(url_for("accounts.login")), form.phone.e164)
    return render_template("accounts/reset_confirm.html", form=form), 422 if form.errors else 200


@bp.post("/locale")
@csrf.exempt
def switch_locale():
    """Switch the language; remembered in a cookie and, when logged in, on the account.

    CSRF is checked whenever the visitor has a session. A visitor without one gets no token in the
    footer's form (public pages set no cookie and can be cached whole), and a post from another
    site is refused by the browser's own Sec-Fetch-Site/Origin headers."""
    if session or current_user.is_authenticated:
        csrf.protect()
    else:
        refuse_cross_site_post()
    locale = request.form.get("locale", "")
    if locale not in current_app.config["LOCALES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated:
        with change():
            services.set_locale(current_user, locale)
    target = request.form.get("next", "")
    response = redirect(target if is_safe_next(target) else url_for("pages.home"))
    response.set_cookie(
        current_app.config["LOCALE_COOKIE"],
        locale,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=current_app.config["HTTPS"],
        httponly=True,
    )
    return response
