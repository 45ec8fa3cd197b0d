"""Set-up pages for the partnership manager, under /setup/."""

from django.urls import path

from setup import views

app_name = "setup"
urlpatterns = [
    path("", views.home, name="home"),
    path("partnership/", views.PartnershipEdit.as_view(), name="partnership_edit"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/add/", views.AgencyAdd.as_view(), name="agency_add"),
    path("agencies/<int:pk>/edit/", views.AgencyEdit.as_view(), name="agency_edit"),
    path("agencies/<int:pk>/active/", views.agency_active, name="agency_active"),
    path("people/", views.person_list, name="people"),
    path("people/add/", views.person_add, name="person_add"),
    path("people/<int:pk>/added/", views.person_added, name="person_added"),
    path("people/<int:pk>/edit/", views.PersonEdit.as_view(), name="person_edit"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("people/<int:pk>/password/", views.person_password, name="person_password"),
    path("people/<int:pk>/second-factor/reset/", views.person_second_factor_reset, name="person_second_factor_reset"),
    path("people/<int:pk>/sign-out/", views.person_sign_out, name="person_sign_out"),
    path("people/<int:pk>/invite/", views.person_invite, name="person_invite"),
    path("people/<int:pk>/invitation/revoke/", views.person_invitation_revoke, name="person_invitation_revoke"),
    path("inspections/add/", views.InspectionAdd.as_view(), name="inspection_add"),
    path("inspections/<int:pk>/", views.inspection_setup, name="inspection"),
    path("inspections/<int:pk>/edit/", views.InspectionEdit.as_view(), name="inspection_edit"),
    path("inspections/<int:pk>/findings/add/", views.FindingAdd.as_view(), name="finding_add"),
    path("inspections/<int:pk>/findings/paste/", views.findings_paste, name="findings_paste"),
    path("findings/<int:pk>/edit/", views.FindingEdit.as_view(), name="finding_edit"),
    path("plans/<int:pk>/", views.plan_setup, name="plan"),
    path("plans/<int:pk>/actions/add/", views.ActionAdd.as_view(), name="action_add"),
    path("plans/<int:pk>/actions/renumber/", views.actions_renumber, name="actions_renumber"),
    path("plans/<int:pk>/rounds/add/", views.RoundAdd.as_view(), name="round_add"),
    path("plans/<int:pk>/measures/add/", views.MeasureAdd.as_view(), name="measure_add"),
    path("actions/<int:pk>/edit/", views.ActionEdit.as_view(), name="action_edit"),
    path("actions/<int:pk>/move/", views.action_move, name="action_move"),
    path("actions/<int:pk>/withdraw/", views.ActionWithdraw.as_view(), name="action_withdraw"),
    path("measures/<int:pk>/edit/", views.MeasureEdit.as_view(), name="measure_edit"),
    path("measures/<int:pk>/values/add/", views.ValueAdd.as_view(), name="value_add"),
    path("quadrants/", views.QuadrantWordingEdit.as_view(), name="quadrant_wording"),
]
