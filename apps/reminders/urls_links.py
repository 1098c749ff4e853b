# One-click links from reminder emails (see views_links.py).
urlpatterns: list = []
