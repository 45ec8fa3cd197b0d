"""Run the test OpenID Connect provider, or change its users and its client from another process.

    python -m tests.oidc_provider --port N --db PATH --client-id ID --client-secret SECRET [--redirect-uri URI ...]
    python -m tests.oidc_provider adduser --db PATH --email E --password P --name N [--unverified]
    python -m tests.oidc_provider redirect-uris --db PATH --client-id ID [--redirect-uri URI ...]

Serving binds 127.0.0.1:N (N = 0 takes any free port), migrates the database, creates or updates the one
client, prints "listening on <port>" once it can answer, and serves until stopped. The issuer is
http://127.0.0.1:<port>/o. The other two commands write to the same database file, so a running server
sees their changes at once; `redirect-uris` replaces the list the client accepts.
"""

import argparse
import os
import sys
from pathlib import Path

import django

SETTINGS = "tests.oidc_provider.settings"


def _setup(db: str, issuer: str = "") -> None:
    """Configure Django with the provider's own settings, whatever the caller's environment says."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["OIDC_PROVIDER_DB"] = str(Path(db).resolve())
    if issuer:
        os.environ["OIDC_PROVIDER_ISSUER"] = issuer
    django.setup()


def serve(args: argparse.Namespace) -> None:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    # Bind before anything else, so that port 0 becomes a real port the issuer can name. Like Django's live
    # server, ask for no SO_REUSEADDR on port 0, so the port the kernel picks is one no other socket holds.
    server = ThreadedWSGIServer(("127.0.0.1", args.port), WSGIRequestHandler, allow_reuse_address=args.port != 0)
    port = server.server_address[1]
    _setup(args.db, issuer=f"http://127.0.0.1:{port}/o")

    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    # Saving hashes the client secret, as the toolkit always does unless told not to.
    Application.objects.update_or_create(
        client_id=args.client_id,
        defaults={
            "name": "The tracker under test",
            "client_secret": args.client_secret,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "algorithm": Application.RS256_ALGORITHM,
            "redirect_uris": " ".join(args.redirect_uri),
            "skip_authorization": True,
        },
    )
    server.set_app(get_wsgi_application())
    print(f"listening on {port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def add_user(args: argparse.Namespace) -> None:
    _setup(args.db)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from tests.oidc_provider.models import Profile

    with transaction.atomic():
        user = get_user_model().objects.create_user(username=args.email, email=args.email, password=args.password)
        Profile.objects.create(user=user, name=args.name, email_verified=not args.unverified)


def set_redirect_uris(args: argparse.Namespace) -> None:
    _setup(args.db)
    from oauth2_provider.models import Application

    application = Application.objects.get(client_id=args.client_id)
    application.redirect_uris = " ".join(args.redirect_uri)
    application.save(update_fields=["redirect_uris"])


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """Each command's parser; serving needs no command word, the others start with theirs."""
    prog = "python -m tests.oidc_provider"
    serving = argparse.ArgumentParser(prog=prog, description="Serve the test OpenID Connect provider.")
    serving.add_argument("--port", type=int, required=True, help="0 takes any free port")
    serving.add_argument("--db", required=True, help="the provider's SQLite file, created if missing")
    serving.add_argument("--client-id", required=True)
    serving.add_argument("--client-secret", required=True)
    serving.add_argument("--redirect-uri", action="append", default=[], help="repeat for each URI the client accepts")
    serving.set_defaults(run=serve)

    adding = argparse.ArgumentParser(prog=f"{prog} adduser", description="Add a user who can sign in.")
    adding.add_argument("--db", required=True)
    adding.add_argument("--email", required=True, help="also the username the sign-in page asks for")
    adding.add_argument("--password", required=True)
    adding.add_argument("--name", required=True)
    adding.add_argument("--unverified", action="store_true", help="the claims say email_verified: false")
    adding.set_defaults(run=add_user)

    redirecting = argparse.ArgumentParser(
        prog=f"{prog} redirect-uris", description="Replace the redirect URIs the client accepts."
    )
    redirecting.add_argument("--db", required=True)
    redirecting.add_argument("--client-id", required=True)
    redirecting.add_argument("--redirect-uri", action="append", default=[])
    redirecting.set_defaults(run=set_redirect_uris)
    return {"serve": serving, "adduser": adding, "redirect-uris": redirecting}


def main(argv: list[str]) -> None:
    parsers = _parsers()
    command, *rest = argv if argv and argv[0] in parsers else ["serve", *argv]
    args = parsers[command].parse_args(rest)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
