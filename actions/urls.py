from django.urls import path

from actions import views, views_outcomes

app_name = "actions"
urlpatterns = [
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("my-actions/", views.my_actions, name="mine"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/update/", views.update_edit, name="update"),
    path("actions/<int:pk>/update/check/", views.update_check, name="update_check"),
    path("actions/<int:pk>/reopen/", views.action_reopen, name="reopen"),
    path("actions/<int:pk>/not-implemented/", views_outcomes.not_implemented, name="not_implemented"),
    path("actions/<int:pk>/replaced/", views_outcomes.replace, name="replace"),
    path("actions/<int:pk>/reinstate/", views_outcomes.reinstate, name="reinstate"),
    path("actions/<int:pk>/retest-date/", views_outcomes.retest_due, name="retest_due"),
    path("actions/<int:pk>/retest/", views_outcomes.retest_record, name="retest"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/state/", views.round_transition, name="round_state"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/endorse/", views.round_endorse, name="round_endorse"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:pk>/sense-check/", views.sense_check_start, name="sense_check_start"),
    path("rounds/<int:pk>/sense-check/<int:action_pk>/", views.sense_check, name="sense_check"),
]
