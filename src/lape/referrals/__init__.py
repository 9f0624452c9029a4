"""Contact requests from families, the family centre's triage, and closed-loop referrals between services."""
