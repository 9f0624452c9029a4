"""Professionals' accounts: organisations, units and roles; login and two-factor authentication."""
