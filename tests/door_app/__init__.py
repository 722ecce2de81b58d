"""A feature app that exists only in tests: it comes in through every door the portal offers.

It has no models, so adding it to INSTALLED_APPS leaves the migrations as they are.
"""
