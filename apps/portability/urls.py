app_name = "portability"

# Export, import and account deletion (see views.py).
urlpatterns: list = []
