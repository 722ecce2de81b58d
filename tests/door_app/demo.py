import datetime
from typing import TextIO


def load(*, today: datetime.date, stdout: TextIO) -> None:
    stdout.write(f"Door demo loaded for {today.isoformat()}.\n")
