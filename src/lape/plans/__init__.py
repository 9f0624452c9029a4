"""The shared plan: one living plan per child, its team and coordinator, and its entries (docs/plans.md)."""
