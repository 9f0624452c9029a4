"""A local OpenID Connect provider for the demo and the tests only: synthetic persons, Suomi.fi-like claims.

It is a Django project of its own (django-oauth-toolkit's OIDC provider) with its own SQLite
database, run as its own process by `lape demo-idp` (`make demo` starts it beside the platform) and
by the family sign-in tests. LAPE never installs or routes it: a production configuration cannot
reach it, and its settings refuse to load unless LAPE_DEMO_IDP=1. See docs/accounts.md.
"""
