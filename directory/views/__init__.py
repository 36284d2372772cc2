"""Directory pages, one module per area: profiles and search, contact, CSV exchange."""
