"""Training pages, one module an audience: members (sessions), trainers (manage, dashboard)."""
