"""Off-platform bypass detection (pure Python; no frappe imports)."""
