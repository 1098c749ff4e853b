# The recruiter debrief and its balanced-feedback helper (see views/debrief.py).
urlpatterns: list = []
