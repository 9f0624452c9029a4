"""Children and guardians as clients; identity codes validated, encrypted and found by a keyed hash."""
