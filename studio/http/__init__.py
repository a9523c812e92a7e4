"""HTTP pieces shared by the web studio and `studio serve` (no database, no templates)."""
