"""A standalone OpenID Connect provider for the test suite, built on django-oauth-toolkit.

It runs as its own process with its own settings and SQLite database, never the app's:
`python -m tests.oidc_provider --help` says how to start it, add users and change the redirect URIs
its one client accepts. `tests/oidc.py` runs it for pytest.
"""
