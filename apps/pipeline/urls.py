from django.urls import path

from apps.pipeline import urls_calendar, urls_csv
from apps.pipeline.views import applications, deletion, history, interviews, search, suggest

app_name = "pipeline"

urlpatterns = [
    path("applications/", applications.application_list, name="application_list"),
    path("applications/board/", applications.board, name="board"),
    path("applications/board/column/<slug:key>/", applications.board_column, name="board_column"),
    path("applications/suggest/<slug:what>/", suggest.suggest, name="suggest"),
    path("applications/new/", applications.application_create, name="application_create"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    path("applications/<int:pk>/delete/", deletion.application_delete, name="application_delete"),
    path(
        "applications/<int:pk>/history/<int:change_pk>/", history.stage_change_edit, name="stage_change_edit"
    ),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/move/", applications.application_move, name="application_move"),
    path(
        "applications/<int:pk>/move/choose/", applications.application_move_menu, name="application_move_menu"
    ),
    path(
        "applications/<int:pk>/move/undo/", applications.application_move_undo, name="application_move_undo"
    ),
    path("applications/<int:pk>/archive/", applications.application_archive, name="application_archive"),
    path("applications/<int:pk>/star/", applications.application_star, name="application_star"),
    path("applications/bulk/", applications.applications_bulk, name="applications_bulk"),
    path("keep-searching/", search.keep_searching, name="keep_searching"),
    path(
        "applications/<int:pk>/interviews/new/",
        interviews.interview_create,
        name="interview_create",
    ),
    path("interviews/<int:pk>/edit/", interviews.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/cancel/", interviews.interview_cancel, name="interview_cancel"),
    *urls_csv.urlpatterns,
    *urls_calendar.urlpatterns,
]
