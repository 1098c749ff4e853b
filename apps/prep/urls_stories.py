# The story bank and practice questions (see views/stories.py and views/practice.py).
urlpatterns: list = []
