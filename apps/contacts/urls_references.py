# References: referees per application and their steps (see views/references.py).
urlpatterns: list = []
