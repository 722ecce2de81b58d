"""What the stories app's models need, per group (gathered by portal.groups)."""

from portal.groups import CX_TEAM, LEADERSHIP

GROUP_PERMISSIONS: dict[str, list[str]] = {
    CX_TEAM: [
        # Story review in the admin, through the "Story review" workflow.
        "stories.view_story",
        "stories.change_story",
        "stories.publish_story",
        # The triage queue, systemic candidates and the SLAs.
        "stories.view_concern",
        "stories.view_severitysla",
        "stories.change_severitysla",
        "stories.change_cxsettings",
        # Customer feedback: look at what was imported, import more.
        "stories.view_feedbackitem",
        "stories.add_feedbackimport",
        "stories.view_feedbackimport",
        # The daily voice: routing rules, the next voices and pins.
        "stories.view_voiceroute",
        "stories.add_voiceroute",
        "stories.change_voiceroute",
        "stories.delete_voiceroute",
        "stories.view_dailyvoice",
        "stories.add_dailyvoice",
    ],
    LEADERSHIP: [
        "stories.view_concern",
    ],
}
