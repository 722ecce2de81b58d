"""What the onboarding app's models need, per group (gathered by portal.groups).

HR follows every learner (the dashboards) and changes their onboarding by the actions of
onboarding/admin_views.py: enrol, move a due date, excuse a module. Programmes and modules are
pages: HR and the CX team build them under the "Onboarding review" workflow (onboarding/tree.py).
Managers are nobody's group: a person with direct reports sees theirs (portal/auth.py).
"""

from portal.groups import HR

GROUP_PERMISSIONS: dict[str, list[str]] = {
    HR: [
        "onboarding.view_enrolment",
        "onboarding.add_enrolment",
        "onboarding.change_enrolment",
        "onboarding.view_moduleprogress",
        "onboarding.view_quizattempt",
    ],
}
