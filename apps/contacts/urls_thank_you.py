# Thank-you notes, one to each person met at an interview (see views/thank_you.py).
from django.urls import path

from apps.contacts.views import thank_you

urlpatterns = [
    path("interviews/<int:pk>/thank-you/", thank_you.thank_you_notes, name="thank_you"),
    path("thank-you/<int:pk>/note/", thank_you.thank_you_note, name="thank_you_note"),
    path("thank-you/<int:pk>/sent/", thank_you.thank_you_sent, name="thank_you_sent"),
]
