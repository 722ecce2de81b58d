"""The daily customer voice: when a department is due one, and which one it gets.

Timing. A department is due on a local date when that date is one of its voice weekdays and
not a day off (its country's public holidays, its other days off), its local clock has reached
its voice time, and it is neither paused nor without a channel. "Local" is the department's
own time zone through zoneinfo, so daylight-saving changes move nothing: at a spring-forward
gap a 02:30 voice goes at 03:00, and at a fall-back the first 01:30 counts (the second finds
the voice sent). A tick missed is caught up by the next one the same local day; a new local
day asks only about itself, so nothing is ever sent for a day gone by.

Choosing (stories.selectors.voice does the queries). The pool of a department is the customer
feedback routed to it (its routing rules, its own department, the touchpoints its
ambassadors cover), the published stories that name it or its touchpoints, and the concerns
seen in or owned by it. From the pool, in this order:

1. never an item already sent to it in the current cycle; when the pool is used up, the next
   cycle begins and every item may come again;
2. after two negative voices in a row, not a third: a neutral or positive item of the cycle,
   else (only negative ones are left) the most recent non-negative one even if already sent,
   else, if the department has nothing but negative voices, a negative one;
3. an item in one of the department's languages before one in another;
4. the most recent first (feedback by when it was received, stories and concerns by when they
   were filed).

A voice pinned by the CX team for a date is sent that day whatever the rules say.
"""

from __future__ import annotations

import datetime

from portal.models import Department

NEGATIVE_RUN_LIMIT = 2


def due_date(department: Department, now: datetime.datetime) -> datetime.date | None:
    """The local date a department is due a voice at `now`, or None if it is not due."""
    if department.voice_paused or not department.slack_channel_id:
        return None
    local = department.local_now(now)
    day = local.date()
    if not department.is_voice_day(day):
        return None
    wall = local.time().replace(tzinfo=None)
    if wall < department.voice_time:
        return None
    return day


def next_voice_days(department: Department, start: datetime.date, count: int):
    """The next `count` local working days from `start` (included), at most a year ahead."""
    day = start
    found = []
    for _ in range(366):
        if len(found) == count:
            break
        if department.is_voice_day(day):
            found.append(day)
        day += datetime.timedelta(days=1)
    return found


def needs_a_positive(recent_polarities: list[str]) -> bool:
    """True after NEGATIVE_RUN_LIMIT negative voices in a row (newest first)."""
    from stories.models import Polarity

    run = recent_polarities[:NEGATIVE_RUN_LIMIT]
    return len(run) == NEGATIVE_RUN_LIMIT and all(p == Polarity.NEGATIVE for p in run)
