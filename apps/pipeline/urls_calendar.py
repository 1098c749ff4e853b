# Calendar feed and .ics downloads (owned by the calendar work; see views/calendar.py).
urlpatterns: list = []
