# CSV export and import of applications (owned by the CSV work; see views/csv_io.py).
urlpatterns: list = []
