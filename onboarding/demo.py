"""This app's part of the demo company; `manage.py demo` runs it after the portal's."""

import datetime
from typing import TextIO


def load(*, today: datetime.date, stdout: TextIO) -> None:
    """Nothing yet: the app has no models. The loader exists so the order is fixed now."""
