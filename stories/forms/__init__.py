"""Web forms: they render fields; the services validate."""
