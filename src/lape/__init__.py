"""LAPE: a platform for integrated child and family services."""
