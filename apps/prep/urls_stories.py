# The story bank and practice questions (see views/stories.py and views/practice.py).
from django.urls import path

from apps.prep.views import practice, stories

urlpatterns = [
    path("prep/stories/", stories.story_list, name="stories"),
    path("prep/stories/new/", stories.story_create, name="story_create"),
    path("prep/stories/<int:pk>/edit/", stories.story_edit, name="story_edit"),
    path("prep/stories/<int:pk>/delete/", stories.story_delete, name="story_delete"),
    path("prep/practice/", practice.practice, name="practice"),
    # Where each question's answer form posts: a library question by its key, your own by its id.
    path("prep/practice/library/<slug:key>/", practice.practice_library, name="practice_library"),
    path("prep/practice/<int:pk>/", practice.practice_answer, name="practice_answer"),
]
