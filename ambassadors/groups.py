"""What the ambassadors app's models need, per group (gathered by portal.groups).

The Ambassadors group itself gets no rights here: its members are kept by
ambassadors.services.ambassadors_sync from the active appointments.
"""

from portal.groups import CX_TEAM, HR, LEADERSHIP

GROUP_PERMISSIONS: dict[str, list[str]] = {
    CX_TEAM: [
        "ambassadors.add_touchpoint",
        "ambassadors.change_touchpoint",
        "ambassadors.delete_touchpoint",
        "ambassadors.view_touchpoint",
        "ambassadors.add_appointment",
        "ambassadors.change_appointment",
        "ambassadors.delete_appointment",
        "ambassadors.view_appointment",
    ],
    # Leadership and HR see who is appointed where (coverage, people's roles); only the CX
    # team appoints.
    LEADERSHIP: ["ambassadors.view_appointment"],
    HR: ["ambassadors.view_appointment"],
}
