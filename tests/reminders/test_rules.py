import datetime as dt
import zoneinfo

from apps.reminders import rules

LONDON = zoneinfo.ZoneInfo("Europe/London")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NIGHT = (dt.time(21, 0), dt.time(8, 0))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_the_reflection_prompt_comes_at_seven_in_the_evening_local_time():
    # An interview ending 11:00 in Tokyo (02:00 UTC): prompt at 19:00 Tokyo, 10:00 UTC.
    assert rules.reflection_prompt_due(utc(2026, 11, 20, 2, 0), TOKYO) == utc(2026, 11, 20, 10, 0)


def test_the_reflection_prompt_waits_two_hours_after_a_late_interview():
    assert rules.reflection_prompt_due(utc(2026, 11, 20, 18, 30), LONDON) == utc(2026, 11, 20, 20, 30)


def test_a_reminder_due_at_three_in_the_morning_waits_for_the_morning():
    assert rules.outside_quiet_hours(utc(2026, 11, 20, 3, 0), LONDON, *NIGHT) == utc(2026, 11, 20, 8, 0)


def test_a_reminder_due_late_in_the_evening_waits_until_the_next_morning():
    assert rules.outside_quiet_hours(utc(2026, 11, 20, 22, 30), LONDON, *NIGHT) == utc(2026, 11, 21, 8, 0)


def test_a_reminder_due_in_the_day_goes_at_once():
    assert rules.outside_quiet_hours(utc(2026, 11, 20, 12, 0), LONDON, *NIGHT) == utc(2026, 11, 20, 12, 0)


def test_quiet_hours_follow_the_users_zone_not_the_servers():
    # 03:00 UTC is midday in Tokyo: no waiting.
    assert rules.outside_quiet_hours(utc(2026, 11, 20, 3, 0), TOKYO, *NIGHT) == utc(2026, 11, 20, 3, 0)


def test_quiet_hours_across_the_clocks_going_forward():
    # London moves to summer time at 01:00 UTC on 29 March 2026: 08:00 local is then 07:00 UTC.
    assert rules.outside_quiet_hours(utc(2026, 3, 29, 0, 30), LONDON, *NIGHT) == utc(2026, 3, 29, 7, 0)


def test_quiet_hours_across_the_clocks_going_back():
    # Back to winter time on 25 October 2026: 08:00 local is 08:00 UTC again.
    assert rules.outside_quiet_hours(utc(2026, 10, 25, 1, 30), LONDON, *NIGHT) == utc(2026, 10, 25, 8, 0)


def test_a_wake_up_time_the_clocks_skip_moves_past_the_gap():
    # Quiet until 01:30, which does not exist in London on 29 March 2026.
    wake = rules.outside_quiet_hours(utc(2026, 3, 29, 0, 15), LONDON, dt.time(23, 0), dt.time(1, 30))
    assert wake == utc(2026, 3, 29, 1, 30)  # 02:30 summer time, the first moment after the gap


def test_equal_quiet_hours_mean_none():
    assert rules.outside_quiet_hours(utc(2026, 11, 20, 3, 0), LONDON, dt.time(0), dt.time(0)) == utc(
        2026, 11, 20, 3, 0
    )


def test_the_follow_up_comes_the_morning_after_the_promised_date():
    assert rules.follow_up_due(dt.date(2026, 12, 4), LONDON) == utc(2026, 12, 5, 9, 0)
