"""Thin web views (one module per concept); each module lists its own urlpatterns."""
