"""Create or update console users:

    python -m bot.console.users add NAME --role counsellor --org fi-by [--bundeslaender BY] [--password-stdin]
    python -m bot.console.users list

Without --password-stdin the password is asked for interactively (never as a command-line argument)."""
from __future__ import annotations

import argparse
import getpass
import sys

from bot.console.auth import ROLES, Users
from bot.db.session import make_engine, migrate
from bot.knowledge.directory import get_directory
from bot.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.console.users")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="create a user or reset their password and role")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--org", required=True, help="organisation id from knowledge/directory.yml, e.g. fi-by")
    add.add_argument("--bundeslaender", default="", help="comma-separated codes limiting the scope, e.g. BY")
    add.add_argument("--password-stdin", action="store_true")
    sub.add_parser("list")
    args = parser.parse_args(argv)
    settings = get_settings()
    migrate(settings.database_url)
    users = Users(make_engine(settings.database_url))
    if args.command == "list":
        for user in users.list():
            print(f"{user.username}\t{user.role}\t{user.organisation_id}\t{','.join(user.bundeslaender) or '*'}")
        return 0
    if args.org not in {o.id for o in get_directory().organisations}:
        print(f"unknown organisation id: {args.org}", file=sys.stderr)
        return 2
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    try:
        user = users.add(args.username, password, args.role, args.org, args.bundeslaender)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"saved {user.username} ({user.role}, {user.organisation_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
