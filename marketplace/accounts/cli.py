"""`flask users …`: create the centre's first staff and manage roles from the shell."""

import click
from flask.cli import AppGroup

from ..core.phone import PhoneError, normalize_iranian_mobile
from ..extensions import db
from . import services
from .models import ROLES

users_cli = AppGroup("users", help="Manage accounts.")


def _phone(value: str) -> str:
    try:
        return normalize_iranian_mobile(value)
    except PhoneError as error:
        raise click.BadParameter(f"not an Iranian mobile number ({error.reason})") from error


@users_cli.command("create")
@click.option("--phone", required=True, help="Iranian mobile number, any spelling.")
@click.option("--password", required=True, prompt=True, hide_input=True, help="At least 8 characters.")
@click.option("--name", "display_name", default="", help="Display name (defaults to the phone).")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="Repeat for several.")
def create_command(phone, password, display_name, roles):
    """Create an account, e.g. `flask users create --phone 0915… --password … --role staff`."""
    e164 = _phone(phone)
    try:
        user = services.create_user(e164, display_name or e164, password, roles=set(roles) | {"buyer"})
    except services.AccountError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created user {user.id} {user.phone} with roles {', '.join(sorted(user.roles))}.")


@users_cli.command("set-role")
@click.argument("phone")
@click.argument("roles", nargs=-1, required=True, type=click.Choice(ROLES))
def set_role_command(phone, roles):
    """Replace the roles of the user with PHONE, e.g. `flask users set-role 0915… staff producer`."""
    user = services.find_user_by_phone(_phone(phone))
    if user is None:
        raise click.ClickException("No user has this phone number.")
    services.set_roles(user, set(roles))
    db.session.commit()
    click.echo(f"{user.phone} now has roles {', '.join(sorted(user.roles))}.")


@users_cli.command("set-active")
@click.argument("phone")
@click.argument("active", type=click.BOOL)
def set_active_command(phone, active):
    """Activate (true) or deactivate (false) an account; deactivating ends its sessions."""
    user = services.find_user_by_phone(_phone(phone))
    if user is None:
        raise click.ClickException("No user has this phone number.")
    services.set_active(user, active)
    db.session.commit()
    click.echo(f"{user.phone} is now {'active' if active else 'deactivated'}.")
