"""The professionals' plan pages. Addresses carry record ids (UUIDs) only, never personal data."""

from django.urls import URLPattern, URLResolver, path

from . import views, views_family, views_family_part, views_review

app_name = "plans"
urlpatterns: list[URLPattern | URLResolver] = [
    path("work/plans/", views.my_plans, name="my_plans"),
    path("work/plans/new/", views.plan_start, name="start"),
    path("work/plans/offers/<str:offer_id>/<str:answer>/", views.offer_answer, name="offer_answer"),
    path("work/plans/entries/<str:entry_id>/", views.entry_page, name="entry"),
    path("work/plans/entries/<str:entry_id>/emergency/", views.entry_emergency, name="entry_emergency"),
    path("work/plans/<str:plan_id>/", views.plan_page, name="plan"),
    path("work/plans/<str:plan_id>/members/", views.member_add, name="member_add"),
    path("work/plans/<str:plan_id>/members/<str:member_id>/reads/", views.member_reach, name="member_reach"),
    path(
        "work/plans/<str:plan_id>/members/<str:member_id>/remove/", views.member_remove, name="member_remove"
    ),
    path("work/plans/<str:plan_id>/coordination/", views.offer_new, name="offer_new"),
    path("work/plans/<str:plan_id>/goals/", views.goal_new, name="goal_new"),
    path("work/plans/<str:plan_id>/actions/", views.action_new, name="action_new"),
    path("work/plans/<str:plan_id>/notes/", views.note_new, name="note_new"),
    path("work/plans/<str:plan_id>/meetings/", views.meeting_new, name="meeting_new"),
    path("work/plans/<str:plan_id>/close/", views.plan_close, name="close"),
    path("work/plans/<str:plan_id>/self-assessment/", views.self_assessment_new, name="self_assessment_new"),
    path("work/plans/<str:plan_id>/family/link/", views_family_part.family_link, name="family_link"),
    path(
        "work/plans/<str:plan_id>/family/entries/",
        views_family_part.family_entry_new,
        name="family_entry_new",
    ),
    path("work/plans/<str:plan_id>/family/leave/", views_family_part.family_leave, name="family_leave"),
    # The data controller's reviewer: the register's break-the-glass reads.
    path("work/emergency-reviews/", views_review.emergency_reviews, name="emergency_reviews"),
    path("work/emergency-reviews/<str:review_id>/", views_review.emergency_review, name="emergency_review"),
    # The family's own view of a plan (a signed-in family member).
    path("family/plans/<str:plan_id>/", views_family.family_plan, name="family_plan"),
    path("family/plans/<str:plan_id>/words/", views_family.family_words_new, name="family_words_new"),
    path(
        "family/plans/<str:plan_id>/goals/<str:goal_id>/opinion/",
        views_family.family_goal_opinion,
        name="family_goal_opinion",
    ),
    path(
        "family/plans/<str:plan_id>/self-assessment/",
        views_family.family_self_assessment,
        name="family_self_assessment",
    ),
]
