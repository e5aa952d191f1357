"""Policy: anonymised demand signals, the dashboard that reads their rollups, data gaps and
the follow-up of the Working Group's recommendations (issue 14, docs/policy.md)."""
