# Journal insights (owned by the insights work; see views/insights.py).
urlpatterns: list = []
